import Foundation
import Testing

/// OpenID Connect from the relying party's side: authlib (and PyJWT for the mint's check) drive the
/// real binary through discovery, the code flow with PKCE and nonce, ID token validation from the
/// JWKS alone, UserInfo, `iss` on error redirects, public clients with and without PKCE, the device
/// flow with `openid`, and what a NUT-21 mint checks of an access token (signature, iss, exp, azp).
/// Then `verify` shows that a fresh replay of the log equals the live projections.
@Suite struct OpenIDRelyingPartyTests {
    @Test func anAuthlibRelyingPartyValidatesIDTokensUserInfoAndDeviceFlowTokensAsAMintWould() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let data = directory + "/data"
        let reservedPort = try ReservedLoopbackPort()
        let base = "http://127.0.0.1:\(reservedPort.port)"
        let server = try await ServerProcess(
            dataDirectory: data, reservedPort: reservedPort,
            extraEnvironment: [
                "GRANTLEDGER_DEV_LOGIN": "1", "GRANTLEDGER_ISSUER": base, "GRANTLEDGER_DEVICE_POLL_INTERVAL_SEC": "1",
            ])
        let minted = try await runCLI(["user-token", "--data-dir", data, "--sub", "oidc-user"])
        #expect(minted.status == 0, "\(minted.output)")
        let userToken = minted.output.trimmingCharacters(in: .whitespacesAndNewlines)

        let script = PythonClientTests.packageRoot.appendingPathComponent("Tests/python/oidc_relying_party.py").path
        let (executable, prefix) = PythonClientTests.python
        let (status, output) = try await runToCompletion(
            executable,
            prefix + [
                script, "--base-url", base, "--issuer", base, "--admin-token", ServerProcess.adminToken,
                "--user-token", userToken, "--user-sub", "oidc-user",
            ])
        #expect(status == 0, "\(output)")
        #expect(output.contains("passed, 0 failed"), "\(output)")
        #expect(await server.stop() == 0)

        let verified = try await runCLI(["verify", "--data-dir", data])
        #expect(verified.status == 0, "\(verified.output)")
    }
}
