import Foundation
import Testing

/// schemathesis (PyPI) over every operation of the served `/openapi.json`, against the real binary
/// with every surface switched on, each with its own credential: no server error, no status the
/// document does not declare, no body or header that breaks its schema. A few examples per
/// operation here; Tests/python/fuzz_openapi.py says how to run a long campaign. The UMA Auth API
/// is also fuzzed from its published document (Tests/python/published, a copy of
/// shared/specs/uma-auth-api.yml), as a client built from it would call.
@Suite struct SchemathesisTests {
    @Test func everyOperationAnswersAsTheDocumentSays() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let data = directory + "/data"
        let reservedPort = try ReservedLoopbackPort()
        let base = "http://127.0.0.1:\(reservedPort.port)"
        let server = try await ServerProcess(
            dataDirectory: data, reservedPort: reservedPort,
            extraEnvironment: [
                "GRANTLEDGER_DEV_LOGIN": "1", "GRANTLEDGER_GATEWAY_ORIGIN": "mock", "GRANTLEDGER_ISSUER": base,
                "GRANTLEDGER_CLEAR_AUTH_ENDPOINTS": "POST /v1/auth/blind/mint,POST /v1/mint/quote/bolt11",
                "GRANTLEDGER_SIGNING_MEANS": "dummy,employeeid",
            ])
        let minted = try await runCLI([
            "user-token", "--data-dir", data, "--sub", "fuzz-user", "--address", "$fuzz@localhost", "--ttl", "3600",
        ])
        #expect(minted.status == 0, "\(minted.output)")
        let userToken = minted.output.trimmingCharacters(in: .whitespacesAndNewlines)

        let script = PythonClientTests.packageRoot.appendingPathComponent("Tests/python/fuzz_openapi.py").path
        let publishedUMASpec = PythonClientTests.packageRoot
            .appendingPathComponent("Tests/python/published/uma-auth-api.yml").path
        let (executable, prefix) = PythonClientTests.python
        let (status, output) = try await runToCompletion(
            executable,
            prefix + [
                script, "--base-url", base, "--data-dir", data, "--admin-token", ServerProcess.adminToken,
                "--user-token", userToken, "--max-examples", "5", "--published-uma-spec", publishedUMASpec,
            ])
        #expect(status == 0, "\(output)")
        // The script's last line, "N surfaces, M operations, K failed": ", 0 failed", not "10 failed".
        #expect(output.contains(" operations, 0 failed"), "\(output)")
        #expect(output.contains("uma-auth-api (published document): exit 0"), "\(output)")
        #expect(await server.stop() == 0)
    }
}
