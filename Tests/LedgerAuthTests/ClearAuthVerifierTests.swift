import AsyncHTTPClient
import Crypto
import CryptoExtras
import Foundation
import Hummingbird
import JWTKit
import LedgerAuth
import LedgerCore
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing
import LedgerTestSupport

/// What an OIDC provider puts in an access token, as far as NUT-21 cares.
struct CATClaims: JWTPayload {
    var sub: SubjectClaim?
    var exp: ExpirationClaim?
    var iss: IssuerClaim?
    var aud: AudienceClaim?
    var jti: IDClaim?
    var azp: String?
    var clientId: String?

    enum CodingKeys: String, CodingKey {
        case sub, exp, iss, aud, jti, azp
        case clientId = "client_id"
    }

    func verify(using _: some JWTAlgorithm) async throws {}
}

/// An RSA key as a provider holds it. Generating one takes a while, so tests share a few.
struct ProviderRSAKey: Sendable {
    let kid: String
    let privateKey: _RSA.Signing.PrivateKey

    static let a = ProviderRSAKey(kid: "rsa-a")
    static let b = ProviderRSAKey(kid: "rsa-b")

    init(kid: String) {
        self.kid = kid
        privateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    }

    /// The public half as a provider's JWKS lists it (RFC 7517 / 7518 §6.3).
    var jwk: String {
        let primitives = try! privateKey.publicKey.getKeyPrimitives()
        let n = Base64URL.encode(primitives.modulus)
        let e = Base64URL.encode(primitives.publicExponent)
        return #"{"kty":"RSA","use":"sig","alg":"RS256","kid":"\#(kid)","n":"\#(n)","e":"\#(e)"}"#
    }

    /// Signs with this key, whatever `kid` the header names.
    func sign(_ claims: CATClaims, kid: String? = nil) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(rsa: try Insecure.RSA.PrivateKey(backing: privateKey), digestAlgorithm: .sha256)
        return try await keys.sign(claims, header: ["kid": .string(kid ?? self.kid)])
    }
}

func jwks(_ keys: String...) -> String { #"{"keys":[\#(keys.joined(separator: ","))]}"# }

@Suite struct ClearAuthVerifierTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let issuer = "https://login.example/realms/cashu"
    let clientId = "cashu-client"

    func claims(
        exp: TimeInterval = 600, iss: String? = nil, azp: String?? = .none, clientIdClaim: String? = nil,
        sub: String? = "user-42"
    ) -> CATClaims {
        CATClaims(
            sub: sub.map { SubjectClaim(value: $0) }, exp: .init(value: now.addingTimeInterval(exp)),
            iss: IssuerClaim(value: iss ?? issuer), aud: AudienceClaim(value: ["account"]), jti: "jti-1",
            azp: azp ?? clientId, clientId: clientIdClaim)
    }

    func rsaVerifier(_ keys: ProviderRSAKey..., audience: String? = nil, leewaySec: Int = 0) async throws
        -> ClearAuthVerifier
    {
        try await ClearAuthVerifier(
            jwksJSON: Data(jwks(keys.map(\.jwk).joined(separator: ",")).utf8), issuer: issuer, clientId: clientId,
            audience: audience, leewaySec: leewaySec)
    }

    func es256Sign(_ claims: CATClaims, with key: P256.Signing.PrivateKey, kid: String) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: try ES256PrivateKey(backing: key))
        // jwt-kit writes a `kid` into the header only when `sign` is given one.
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    func refusal(_ reason: String) -> TokenVerificationError { TokenVerificationError(reason: reason) }

    // MARK: Signatures and algorithms

    @Test func aValidES256TokenSignedByOurOwnKeyPasses() async throws {
        let key = SigningKey(privateKey: P256.Signing.PrivateKey(), createdAt: now, path: "")
        let verifier = try await ClearAuthVerifier(signingKeys: [key], issuer: issuer, clientId: clientId)
        let token = try await es256Sign(claims(), with: key.privateKey, kid: key.kid)
        #expect(
            try await verifier.verify(token, now: now)
                == ClearAuthIdentity(
                    subject: "user-42", clientId: clientId, jti: "jti-1", expiresAt: now.addingTimeInterval(600)))
    }

    @Test func aValidRS256TokenFromTheProvidersJWKSPasses() async throws {
        let token = try await ProviderRSAKey.a.sign(claims())
        let identity = try await rsaVerifier(.a, .b).verify(token, now: now)
        #expect(identity.subject == "user-42")
        #expect(identity.expiresAt == now.addingTimeInterval(600))
    }

    @Test func aSignatureByAnotherKeyUnderTheSameKidIsRefused() async throws {
        let forged = try await ProviderRSAKey.b.sign(claims(), kid: ProviderRSAKey.a.kid)
        await #expect(throws: refusal("signature is not valid for the provider's key")) {
            try await rsaVerifier(.a).verify(forged, now: now)
        }

        let ours = SigningKey(privateKey: P256.Signing.PrivateKey(), createdAt: now, path: "")
        let verifier = try await ClearAuthVerifier(signingKeys: [ours], issuer: issuer, clientId: clientId)
        let forgedES = try await es256Sign(claims(), with: P256.Signing.PrivateKey(), kid: ours.kid)
        await #expect(throws: refusal("signature is not valid for the provider's key")) {
            try await verifier.verify(forgedES, now: now)
        }
    }

    @Test func algNoneIsRefusedFromTheHeader() async throws {
        let header = Base64URL.encode(Data(#"{"alg":"none","kid":"rsa-a"}"#.utf8))
        let payload = Base64URL.encode(try JSONEncoder().encode(claims()))
        await #expect(throws: refusal("alg none is not accepted; only ES256 or RS256")) {
            try await rsaVerifier(.a).verify("\(header).\(payload).", now: now)
        }
    }

    @Test func hmacIsRefusedEvenWhenKeyedWithThePublicKey() async throws {
        // The classic confusion: HS256 keyed with the RSA public key the verifier holds.
        let publicPEM = ProviderRSAKey.a.privateKey.publicKey.pemRepresentation
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: publicPEM), digestAlgorithm: .sha256, kid: "rsa-a")
        let token = try await keys.sign(claims(), kid: "rsa-a")
        await #expect(throws: refusal("alg HS256 is not accepted; only ES256 or RS256")) {
            try await rsaVerifier(.a).verify(token, now: now)
        }
    }

    @Test func otherAsymmetricAlgorithmsAreRefusedToo() async throws {
        let keys = JWTKeyCollection()
        await keys.add(
            pss: try Insecure.RSA.PrivateKey(backing: ProviderRSAKey.a.privateKey), digestAlgorithm: .sha256,
            kid: "rsa-a")
        let token = try await keys.sign(claims(), kid: "rsa-a")
        await #expect(throws: refusal("alg PS256 is not accepted; only ES256 or RS256")) {
            try await rsaVerifier(.a).verify(token, now: now)
        }
    }

    @Test func anES256HeaderCannotSelectAnRSAKey() async throws {
        let token = try await es256Sign(claims(), with: P256.Signing.PrivateKey(), kid: ProviderRSAKey.a.kid)
        await #expect(throws: refusal("no ES256 key of the provider has kid rsa-a")) {
            try await rsaVerifier(.a).verify(token, now: now)
        }
    }

    @Test func anUnknownKidIsRefusedByFixedKeys() async throws {
        let token = try await ProviderRSAKey.b.sign(claims())
        await #expect(throws: refusal("no RS256 key of the provider has kid rsa-b")) {
            try await rsaVerifier(.a).verify(token, now: now)
        }
    }

    @Test func aTokenOver8KiBIsRefusedUnread() async throws {
        let token = String(repeating: "a", count: ClearAuthVerifier.maxTokenBytes + 1)
        await #expect(throws: refusal("token too long")) { try await rsaVerifier(.a).verify(token, now: now) }
    }

    // MARK: Claims

    @Test func anExpiredTokenIsRefusedUnlessWithinTheLeeway() async throws {
        let token = try await ProviderRSAKey.a.sign(claims(exp: -5))
        await #expect(throws: refusal("token expired")) { try await rsaVerifier(.a).verify(token, now: now) }
        #expect(try await rsaVerifier(.a, leewaySec: 10).verify(token, now: now).subject == "user-42")
    }

    @Test func aTokenWithoutExpIsRefused() async throws {
        var noExp = claims()
        noExp.exp = nil
        let token = try await ProviderRSAKey.a.sign(noExp)
        await #expect(throws: refusal("exp is required")) { try await rsaVerifier(.a).verify(token, now: now) }
    }

    @Test func aTokenFromAnotherIssuerIsRefused() async throws {
        let token = try await ProviderRSAKey.a.sign(claims(iss: "https://evil.example/realms/cashu"))
        await #expect(throws: refusal("iss is not the configured issuer")) {
            try await rsaVerifier(.a).verify(token, now: now)
        }
    }

    @Test func aTokenWithoutSubIsRefused() async throws {
        let token = try await ProviderRSAKey.a.sign(claims(sub: nil))
        await #expect(throws: refusal("sub is required")) { try await rsaVerifier(.a).verify(token, now: now) }
    }

    @Test func azpWhenPresentMustBeOurClient() async throws {
        let verifier = try await rsaVerifier(.a)
        let other = try await ProviderRSAKey.a.sign(claims(azp: "other-client"))
        await #expect(throws: refusal("azp is not the configured client id")) {
            try await verifier.verify(other, now: now)
        }
        // azp decides even when client_id says otherwise.
        let both = try await ProviderRSAKey.a.sign(claims(azp: clientId, clientIdClaim: "other-client"))
        #expect(try await verifier.verify(both, now: now).clientId == clientId)
    }

    @Test func withoutAzpClientIdMustBeOurClient() async throws {
        let verifier = try await rsaVerifier(.a)
        let good = try await ProviderRSAKey.a.sign(claims(azp: .some(nil), clientIdClaim: clientId))
        #expect(try await verifier.verify(good, now: now).subject == "user-42")
        let other = try await ProviderRSAKey.a.sign(claims(azp: .some(nil), clientIdClaim: "other-client"))
        await #expect(throws: refusal("client_id is not the configured client id")) {
            try await verifier.verify(other, now: now)
        }
        let neither = try await ProviderRSAKey.a.sign(claims(azp: .some(nil)))
        await #expect(throws: refusal("token names no client (azp or client_id is required)")) {
            try await verifier.verify(neither, now: now)
        }
    }

    @Test func audIsCheckedOnlyWhenConfigured() async throws {
        let token = try await ProviderRSAKey.a.sign(claims())
        #expect(try await rsaVerifier(.a).verify(token, now: now).subject == "user-42")
        #expect(try await rsaVerifier(.a, audience: "account").verify(token, now: now).subject == "user-42")
        await #expect(throws: refusal("aud does not include mint-pubkey")) {
            try await rsaVerifier(.a, audience: "mint-pubkey").verify(token, now: now)
        }
    }

    // MARK: Key sets

    @Test func unusableJWKSEntriesAreSkippedNotFatal() async throws {
        let encryption = #"{"kty":"RSA","use":"enc","alg":"RSA-OAEP","kid":"enc","n":"AQAB","e":"AQAB"}"#
        let symmetric = #"{"kty":"oct","kid":"hmac","k":"c2VjcmV0"}"#
        let noKid = #"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#
        let document = Data(jwks(encryption, symmetric, noKid, ProviderRSAKey.a.jwk).utf8)
        let verifier = try await ClearAuthVerifier(jwksJSON: document, issuer: issuer, clientId: clientId)
        #expect(await verifier.keyIds == ["rsa-a"])
        #expect(try await verifier.verify(try await ProviderRSAKey.a.sign(claims()), now: now).subject == "user-42")

        await #expect(throws: TokenVerificationError.self) {
            try await ClearAuthVerifier(
                jwksJSON: Data(jwks(encryption, symmetric).utf8), issuer: issuer, clientId: clientId)
        }
    }

    // MARK: Discovery over real HTTP

    @Test func discoveryReadsIssuerAndJWKSAndVerifiesAnRS256Token() async throws {
        try await OIDCProviderStub.run(keys: [.a]) { provider in
            let verifier = try await ClearAuthVerifier.discover(
                discoveryURL: provider.discoveryURL, httpClient: .shared, clientId: clientId)
            #expect(verifier.issuer == provider.issuer)
            var tokenClaims = claims()
            tokenClaims.iss = IssuerClaim(value: provider.issuer)
            let identity = try await verifier.verify(try await ProviderRSAKey.a.sign(tokenClaims), now: now)
            #expect(identity.subject == "user-42")
        }
    }

    @Test func aRotatedProviderKeyIsPickedUpByARefetchAtMostOncePerMinute() async throws {
        try await OIDCProviderStub.run(keys: [.a]) { provider in
            let clock = TestClock(now)
            let verifier = try await ClearAuthVerifier.discover(
                discoveryURL: provider.discoveryURL, httpClient: .shared, clientId: clientId, clock: clock.now)
            var tokenClaims = claims()
            tokenClaims.iss = IssuerClaim(value: provider.issuer)
            let oldToken = try await ProviderRSAKey.a.sign(tokenClaims)
            let newToken = try await ProviderRSAKey.b.sign(tokenClaims)
            #expect(try await verifier.verify(oldToken, now: now).subject == "user-42")
            #expect(provider.jwksFetches == 1)

            provider.serve(keys: [.b])
            // Within a minute of the last fetch, an unknown kid does not reach the provider.
            clock.advance(seconds: 30)
            await #expect(throws: refusal("no RS256 key of the provider has kid rsa-b")) {
                try await verifier.verify(newToken, now: now)
            }
            #expect(provider.jwksFetches == 1)

            clock.advance(seconds: 31)
            #expect(try await verifier.verify(newToken, now: now).subject == "user-42")
            #expect(provider.jwksFetches == 2)
            #expect(await verifier.keyIds == ["rsa-b"])
            // The withdrawn key no longer verifies, and asking again so soon fetches nothing.
            await #expect(throws: refusal("no RS256 key of the provider has kid rsa-a")) {
                try await verifier.verify(oldToken, now: now)
            }
            #expect(provider.jwksFetches == 2)
        }
    }

    @Test func discoveryRefusesADocumentNamingAnotherIssuer() async throws {
        try await OIDCProviderStub.run(keys: [.a]) { provider in
            provider.setIssuer("https://evil.example")
            await #expect(throws: TokenVerificationError.self) {
                try await ClearAuthVerifier.discover(
                    discoveryURL: provider.discoveryURL, httpClient: .shared, clientId: clientId)
            }
        }
    }

    @Test func discoveryRefusesARedirectEvenWhenTheClientFollowsIt() async throws {
        try await OIDCProviderStub.run(keys: [.a]) { provider in
            provider.setJWKSPath("/moved")
            await #expect(throws: refusal("jwks_uri answered with a redirect; redirects are not followed")) {
                try await ClearAuthVerifier.discover(
                    discoveryURL: provider.discoveryURL, httpClient: .shared, clientId: clientId)
            }
        }
    }

    @Test func discoveryRefusesMoreThanOneMiB() async throws {
        try await OIDCProviderStub.run(keys: [.a]) { provider in
            provider.setJWKSPath("/big")
            await #expect(throws: refusal("jwks_uri answered with more than 1048576 bytes")) {
                try await ClearAuthVerifier.discover(
                    discoveryURL: provider.discoveryURL, httpClient: .shared, clientId: clientId)
            }
        }
    }

    @Test func discoveryGivesUpOnASlowProvider() async throws {
        try await OIDCProviderStub.run(keys: [.a]) { provider in
            provider.setJWKSPath("/slow")
            // 30 s: under the whole suite on two cores the discovery document itself once took
            // over 3 s, and a CI run over 6 s; the test then named the wrong fetch. /slow answers
            // only once released, so only the timeout ends the JWKS fetch.
            await #expect(throws: refusal("jwks_uri did not answer within 30 s")) {
                try await ClearAuthVerifier.discover(
                    discoveryURL: provider.discoveryURL, httpClient: .shared, clientId: clientId,
                    timeout: .seconds(30))
            }
            OIDCProviderStub.slowReleased.withLock { $0 = true }
        }
    }

    @Test(arguments: ["http://login.example", "http://127.0.0.1.nip.io", "ftp://127.0.0.1"])
    func discoveryRefusesAnythingButHTTPSExceptToLoopback(origin: String) async throws {
        let url = origin + "/.well-known/openid-configuration"
        await #expect(throws: refusal("openid_discovery must be https (http only to localhost): \(url)")) {
            try await ClearAuthVerifier.discover(discoveryURL: url, httpClient: .shared, clientId: clientId)
        }
    }
}

/// A tiny OpenID provider on 127.0.0.1 (a real Hummingbird server): a discovery document and a
/// JWKS the test can swap, plus a redirect, an oversized and a slow answer.
final class OIDCProviderStub: Sendable {
    /// Lets /slow answer.
    static let slowReleased = Mutex(false)

    struct State {
        var port = 0
        var jwks = ""
        var jwksFetches = 0
        var issuer: String?
        var jwksPath = "/jwks"
    }

    private let state = Mutex(State())

    var issuer: String { state.withLock { $0.issuer ?? "http://127.0.0.1:\($0.port)" } }
    var discoveryURL: String { state.withLock { "http://127.0.0.1:\($0.port)/.well-known/openid-configuration" } }
    var jwksFetches: Int { state.withLock { $0.jwksFetches } }

    func serve(keys: [ProviderRSAKey]) {
        let document = #"{"keys":[\#(keys.map(\.jwk).joined(separator: ","))]}"#
        state.withLock { $0.jwks = document }
    }

    func setIssuer(_ issuer: String) { state.withLock { $0.issuer = issuer } }
    func setJWKSPath(_ path: String) { state.withLock { $0.jwksPath = path } }

    private var discoveryDocument: String {
        let jwksURI = state.withLock { "http://127.0.0.1:\($0.port)\($0.jwksPath)" }
        return #"{"issuer":"\#(issuer)","jwks_uri":"\#(jwksURI)","id_token_signing_alg_values_supported":["RS256"]}"#
    }

    private func fetchJWKS() -> String {
        state.withLock { state in
            state.jwksFetches += 1
            return state.jwks
        }
    }

    static func run(keys: [ProviderRSAKey], _ body: @Sendable (OIDCProviderStub) async throws -> Void) async throws {
        let provider = OIDCProviderStub()
        provider.serve(keys: keys)
        let router = Router()
        router.get("/.well-known/openid-configuration") { _, _ in provider.discoveryDocument }
        router.get("/jwks") { _, _ in provider.fetchJWKS() }
        router.get("/moved") { _, _ in Response.redirect(to: "/jwks") }
        router.get("/big") { _, _ in String(repeating: " ", count: (1 << 20) + 1) }
        router.get("/slow") { _, _ in
            // Until the test has its answer (or 60 s), so a loaded machine cannot blur which fetch
            // was slow: only the timeout can end it.
            for _ in 0..<600 where !OIDCProviderStub.slowReleased.withLock({ $0 }) {
                try await Task.sleep(for: .milliseconds(100))
            }
            return provider.fetchJWKS()
        }
        let (started, onStart) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in onStart.yield(channel.localAddress?.port ?? 0) })
        let services = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var ports = started.makeAsyncIterator()
            let port = await ports.next() ?? 0
            provider.state.withLock { $0.port = port }
            do {
                try await body(provider)
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }
}
