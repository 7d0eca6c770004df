import Foundation
import Testing

/// Seed 001's flows from a real OAuth client library: authlib (and PyJWT for the JWKS) drive the
/// real binary with its built-in mock origin behind the gateway. Then `verify` shows that a fresh
/// replay of the log equals the live projections after the whole OAuth workload.
@Suite struct PythonOAuthClientTests {
    @Test func authlibRunsEveryGrantGatewayIntrospectionAndRevocationAgainstTheRealBinary() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let data = directory + "/data"
        let reservedPort = try ReservedLoopbackPort()
        let base = "http://127.0.0.1:\(reservedPort.port)"
        let server = try await ServerProcess(
            dataDirectory: data, reservedPort: reservedPort,
            extraEnvironment: [
                "GRANTLEDGER_DEV_LOGIN": "1", "GRANTLEDGER_GATEWAY_ORIGIN": "mock", "GRANTLEDGER_ISSUER": base,
                "GRANTLEDGER_DEVICE_POLL_INTERVAL_SEC": "1",
            ])
        let minted = try await runCLI(["user-token", "--data-dir", data, "--sub", "py-user"])
        #expect(minted.status == 0, "\(minted.output)")
        let userToken = minted.output.trimmingCharacters(in: .whitespacesAndNewlines)

        let script = PythonClientTests.packageRoot.appendingPathComponent("Tests/python/oauth_client.py").path
        let (executable, prefix) = PythonClientTests.python
        let (status, output) = try await runToCompletion(
            executable,
            prefix + [
                script, "--base-url", base, "--issuer", base, "--admin-token", ServerProcess.adminToken,
                "--user-token", userToken,
            ])
        #expect(status == 0, "\(output)")
        #expect(output.contains("0 failed"), "\(output)")
        #expect(await server.stop() == 0)

        let verified = try await runCLI(["verify", "--data-dir", data])
        #expect(verified.status == 0, "\(verified.output)")
    }
}
