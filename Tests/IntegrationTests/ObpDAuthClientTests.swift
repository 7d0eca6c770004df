import Foundation
import Testing

/// Issue 14's DAuth from a smart contract's side, in the seed's steps: a Python client
/// (Tests/python/obp_dauth_client.py, PyJWT with RS256) builds the seed's token, walks both seed
/// endpoints and `/users/current`, and is refused with a forged signature, an HS256 token keyed
/// with the public key, `alg: none`, an expired timestamp and from an address not allowed (whose
/// knocking is one aggregated record). Then `verify` shows a fresh replay equals the live
/// projections after that workload of users, roles, views and access grants.
@Suite struct ObpDAuthClientTests {
    @Test func aSmartContractFollowsTheSeedAndForgedExpiredHMACAndForeignTokensAreRefused() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let script = PythonClientTests.packageRoot.appendingPathComponent("Tests/python/obp_dauth_client.py").path
        let (executable, prefix) = PythonClientTests.python
        let keys = directory + "/dauth-keys"
        let written = try await runToCompletion(executable, prefix + [script, "--write-key", keys])
        #expect(written.status == 0, "\(written.output)")

        let server = try await ServerProcess(
            dataDirectory: directory,
            extraEnvironment: [
                "GRANTLEDGER_DAUTH_PUBLIC_KEY": keys + "/dauth-public.pem", "GRANTLEDGER_DAUTH_ALLOWED_IPS": "127.0.0.1",
            ])
        let (status, output) = try await runToCompletion(
            executable,
            prefix + [
                script, "--base-url", server.baseURL, "--admin-token", ServerProcess.adminToken, "--private-key",
                keys + "/dauth-private.pem",
            ])
        print("obp_dauth_client.py:\n\(output)")
        #expect(status == 0, "\(output)")
        #expect(output.contains("20 passed, 0 failed"), "\(output)")
        #expect(await server.stop() == 0)

        let verified = try await runCLI(["verify", "--data-dir", directory])
        #expect(verified.status == 0, "\(verified.output)")
    }
}
