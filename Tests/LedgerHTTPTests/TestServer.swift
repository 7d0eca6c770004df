import LedgerApp
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import LedgerAuth
import LedgerCore
import LedgerHTTP
import LedgerStore
import LedgerWallet
import Logging
import NIOCore
import LedgerDemo

/// The real router over a ledger in a temporary directory, driven in-process. It also plays the
/// operator's login system: `userToken` signs short-lived user JWTs with a key the server trusts.
struct TestServer {
    static let adminToken = "test-admin-token-0123456789"
    static let issuer = "http://grantledger.test"

    let ledger: Ledger
    let directory: String
    let settings: HTTPSettings
    let nwc: NWCSettings
    let wallet: any WalletBackend
    let oauth: OAuthSettings
    var gateway: GatewaySettings?
    var clearAuth: ClearAuthSettings?
    var audit = AuditSettings()
    var nuts = NutsSettings(signingMeans: [.dummy, .employeeid], publicURL: "")
    let loginKey = P256.Signing.PrivateKey()

    init(
        settings: HTTPSettings = HTTPSettings(bodyBytesMax: 4096, pageSizeMax: 50),
        nwc: NWCSettings = NWCSettings(issuer: TestServer.issuer), wallet: any WalletBackend = DemoWallet(),
        oauth: OAuthSettings = OAuthSettings(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gl-http-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        ledger = try Ledger(path: directory + "/ledger.sqlite", options: .init(clock: clock))
        self.settings = settings
        self.nwc = nwc
        self.wallet = wallet
        self.oauth = oauth
    }

    func run(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await run(.router, test)
    }

    /// The same server on a real socket, for clients that need one (another ledger's upstream wallet).
    func run(
        _ setup: TestingSetup, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let app = try buildApplication(try await services(), settings: settings, logger: Logger(label: "test"))
        try await app.test(setup) { client in try await test(client) }
    }

    /// Everything the router is built from, as `run` builds it.
    func services() async throws -> LedgerServices {
        let store = KeyStore(dataDirectory: directory)
        let key = try store.activeKey().key
        // One RS256 key for every test server: drawing a 2048-bit RSA key takes about a tenth of
        // a second, and no test depends on its being new.
        if try store.rsaKeys().isEmpty {
            let path = (store.directory as NSString).appendingPathComponent("rs256-0000000000001.pem")
            guard FileManager.default.createFile(
                atPath: path, contents: Data(try Self.sharedRSAKeyPEM.get().utf8), attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteUnknown) }
        }
        let rsaKey = try store.activeRSAKey().key
        let digest = Hex.encode(SHA256.hash(data: Data(Self.adminToken.utf8)))
        return LedgerServices(
            ledger: ledger, keyRing: try await SigningKeyRing(keys: [key], rsaKeys: [rsaKey]), adminTokenSha256: digest,
            trustedIssuers: try await TrustedIssuers(publicKeyPEMs: [loginKey.publicKey.pemRepresentation]),
            wallet: wallet, nwc: nwc, oauth: oauth, audit: audit, nuts: nuts, gateway: gateway, clearAuth: clearAuth,
            standInLogin: try await DevLoginTokens(key: loginKey, clock: ledger.clock))
    }

    static let sharedRSAKeyPEM = Result<String, any Error> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gl-rsa-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try String(contentsOfFile: try KeyStore(dataDirectory: directory).generateRSA().path, encoding: .utf8)
    }

    /// A ring over the server's own signing key, to mint tokens the server would sign but with
    /// claims it never issues.
    func ringForTests() async throws -> SigningKeyRing {
        try await SigningKeyRing(keys: [try KeyStore(dataDirectory: directory).activeKey().key])
    }

    struct UserClaims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var address: String?
        /// A claim the operator names with `--audit-subject-claim`.
        var bsn: String?
        func verify(using _: some JWTAlgorithm) async throws {}
    }

    /// A short-lived user JWT as seed 000's VASP signs it.
    func userToken(
        _ subject: String, address: String? = nil, bsn: String? = nil, expiresIn seconds: TimeInterval = 600
    ) async throws -> String {
        let keys = await JWTKeyCollection().add(ecdsa: try ES256PrivateKey(backing: loginKey))
        return try await keys.sign(
            UserClaims(
                sub: SubjectClaim(value: subject), exp: ExpirationClaim(value: Date().addingTimeInterval(seconds)),
                address: address, bsn: bsn))
    }

    static func headers(token: String? = adminToken, _ extra: [(String, String)] = []) -> HTTPFields {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        fields[.contentType] = "application/json"
        for (name, value) in extra { fields[HTTPField.Name(name)!] = value }
        return fields
    }
}

extension TestResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]) ?? [:]
    }
}

extension ByteBuffer {
    init(json: String) { self.init(string: json) }
}
