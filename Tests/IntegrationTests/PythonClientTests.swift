import Crypto
import Foundation
import Testing

/// Seed 000's token exchange from the VASP's side, in the language the seed shows it in: a Python
/// client (Tests/python) signs the user token with PyJWT, exchanges it against the real binary, and
/// verifies the long-lived token with PyJWT from the JWKS alone.
@Suite struct PythonClientTests {
    static let issuer = "http://grantledger.test"
    static let vaspDomain = "examplevasp.com"

    /// The package root: the nearest folder above the built binary that holds Package.swift.
    static var packageRoot: URL {
        var directory = ServerProcess.binary.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
            directory.path != "/"
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }

    /// GRANTLEDGER_TEST_PYTHON, else the venv `make python-deps` makes, else python3 on the PATH.
    static var python: (executable: URL, arguments: [String]) {
        if let configured = ProcessInfo.processInfo.environment["GRANTLEDGER_TEST_PYTHON"], !configured.isEmpty {
            return (URL(fileURLWithPath: configured), [])
        }
        let venv = packageRoot.appendingPathComponent(".build/python/bin/python")
        if FileManager.default.isExecutableFile(atPath: venv.path) { return (venv, []) }
        return (URL(fileURLWithPath: "/usr/bin/env"), ["python3"])
    }

    /// A browser script of Tests/python against `base`, screenshots under .build/screenshots/
    /// `folder`; its output (the pages' text and the checks) goes to the test log, pass or fail.
    static func runBrowserScript(_ script: String, base: String, screenshots folder: String) async throws
        -> (status: Int32, output: String)
    {
        let screenshots = packageRoot.appendingPathComponent(".build/screenshots/" + folder).path
        let (executable, prefix) = python
        let result = try await runToCompletion(
            executable,
            prefix + [
                packageRoot.appendingPathComponent("Tests/python/" + script).path, "--base-url", base, "--admin-token",
                ServerProcess.adminToken, "--screenshots", screenshots,
            ])
        print(result.output)
        return result
    }

    /// Runs the Python client to completion; its stdout and stderr together.
    func runPythonClient(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let (executable, prefix) = Self.python
        return try await runToCompletion(executable, prefix + arguments)
    }

    @Test func pythonClientExchangesAndVerifiesTokenAgainstJWKS() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let vaspKey = P256.Signing.PrivateKey()
        let privatePEM = directory + "/vasp-private.pem"
        let publicPEM = directory + "/vasp-public.pem"
        try vaspKey.pemRepresentation.write(toFile: privatePEM, atomically: true, encoding: .utf8)
        try vaspKey.publicKey.pemRepresentation.write(toFile: publicPEM, atomically: true, encoding: .utf8)

        // The issuer is set: its default names the configured port, which is 0 here.
        let server = try await ServerProcess(
            dataDirectory: directory + "/data",
            extraEnvironment: [
                "GRANTLEDGER_TRUSTED_ISSUER_KEYS": publicPEM,
                "GRANTLEDGER_TRUSTED_ISSUER": Self.vaspDomain,
                "GRANTLEDGER_TRUSTED_AUDIENCE": Self.vaspDomain,
                "GRANTLEDGER_ISSUER": Self.issuer,
            ])

        let script = Self.packageRoot.appendingPathComponent("Tests/python/uma_token_exchange_client.py").path
        let (status, output) = try await runPythonClient([
            script, "--base-url", server.baseURL, "--vasp-private-key", privatePEM, "--issuer", Self.issuer,
        ])
        #expect(status == 0, "\(output)")
        // SIGTERM and wait; if anything above threw, ServerProcess's deinit kills it instead.
        #expect(await server.stop() == 0)
    }

    /// The UMA NWC server's calls (aiohttp and the `uma-auth-api` models from PyPI, which validate
    /// every answer) against the real binary: issue 9's budget-currency promises, from its side.
    @Test func theNWCServersClientModelsParseEveryAnswerAndNoBudgetIsOverspent() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let server = try await ServerProcess(dataDirectory: directory, extraEnvironment: ["GRANTLEDGER_DEV_LOGIN": "1"])
        let token = try await runCLI([
            "user-token", "--data-dir", directory, "--sub", "alice", "--address", "$alice@localhost",
        ])
        try #require(token.status == 0, "\(token.output)")
        let script = Self.packageRoot.appendingPathComponent("Tests/python/uma_vasp_client.py").path
        let (status, output) = try await runPythonClient([
            script, "--base-url", "\(server.baseURL)/umanwc/v1", "--user-token",
            token.output.trimmingCharacters(in: .whitespacesAndNewlines),
        ])
        #expect(status == 0, "\(output)")
        #expect(await server.stop() == 0)
        let verified = try await runCLI(["verify", "--data-dir", directory])
        #expect(verified.status == 0, "\(verified.output)")
    }
}
