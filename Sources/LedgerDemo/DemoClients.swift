import LedgerApp
import LedgerAuth
import LedgerWallet
import Foundation
import LedgerCore
import LedgerStore

/// With `--dev-login`, like seed 001's mock server: a preloaded confidential client (`demo-app`,
/// its secret in DATA_DIR/demo-app-secret, mode 0600) and, when NUT-21 endpoints are configured, the
/// public client wallets use. Registered once, as ordinary `ClientRegistered` events.
public enum DemoClients {
    public static let appId = "demo-app"
    public static let callback = "http://localhost:33388/callback"

    /// Quick-start lines; `{BASE}` stands for the server's address, known only once it listens.
    public static func ensure(ledger: Ledger, directory: String, clearAuthClientId: String?, scopes: [String]) async throws
        -> [String]
    {
        let secretPath = (directory as NSString).appendingPathComponent("demo-app-secret")
        if try ledger.client(id: appId) == nil {
            let secret = OAuthSecrets.make()
            try await register(
                ledger,
                try RegisterClient(
                    clientId: appId, name: "Demo app", url: nil, imageUrl: nil, redirectUris: [callback],
                    isPublic: false, scopes: scopes, secretSha256: OAuthSecrets.sha256Hex(secret)))
            FileManager.default.createFile(
                atPath: secretPath, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
        }
        if let clearAuthClientId, try ledger.client(id: clearAuthClientId) == nil {
            try await register(
                ledger,
                try RegisterClient(
                    clientId: clearAuthClientId, name: "Cashu wallets", url: nil, imageUrl: nil,
                    redirectUris: [callback], isPublic: true, scopes: scopes, secretSha256: nil))
        }
        // PKCE with RFC 7636 appendix B's example pair: every new client must send a challenge.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        let authorize =
            "{BASE}/oauth/authorize?response_type=code&client_id=\(appId)&redirect_uri=\(callback)&scope=balance:read%20payments:send&budget=50000/daily&state=s&code_challenge=\(challenge)&code_challenge_method=S256"
        return [
            "client \(appId), secret in \(secretPath); scopes at {BASE}/oauth/scopes",
            #"curl -s -o /dev/null -w '%{redirect_url}\n' -H "Authorization: Bearer $T" '\#(authorize)'"#,
            #"curl -s -u \#(appId):$(cat \#(secretPath)) -d grant_type=authorization_code -d code=CODE -d redirect_uri=\#(callback) -d code_verifier=\#(verifier) {BASE}/oauth/token"#,
            #"curl -s -H "Authorization: Bearer $ACCESS_TOKEN" {BASE}/balance"#,
        ]
    }

    private static func register(_ ledger: Ledger, _ command: RegisterClient) async throws {
        let context = WriteContext(SystemActor.metadata("demo", action: .create, purpose: "demo clients"))
        if case .rejected(let rejection, _) = try await ledger.registerClient(command, context) {
            throw DemoError("cannot register \(command.clientId): \(rejection.message)")
        }
    }
}
