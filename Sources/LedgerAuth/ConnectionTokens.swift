import Crypto
import Foundation
import JWTKit
import LedgerCore
import Synchronization

/// The claims of a long-lived connection token (DESIGN §5): who (`sub`, `address`), for which
/// connection (`cnx`), what it may do (`scopes`), and until when (`exp`, always set).
public struct ConnectionTokenClaims: JWTPayload, Equatable {
    public var sub: SubjectClaim
    public var iss: IssuerClaim
    public var aud: AudienceClaim
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var jti: IDClaim
    public var address: String?
    public var scopes: [String]
    public var cnx: String

    public init(
        subject: String, issuer: String, audience: String, issuedAt: Date, expiresAt: Date, jti: String,
        address: String?, scopes: [String], connectionId: String
    ) {
        sub = SubjectClaim(value: subject)
        iss = IssuerClaim(value: issuer)
        aud = AudienceClaim(value: [audience])
        // Whole seconds: NumericDate readers (PyJWT among them) expect integers.
        iat = IssuedAtClaim(value: Date(timeIntervalSince1970: issuedAt.timeIntervalSince1970.rounded(.down)))
        exp = ExpirationClaim(value: Date(timeIntervalSince1970: expiresAt.timeIntervalSince1970.rounded(.down)))
        self.jti = IDClaim(value: jti)
        self.address = address
        self.scopes = scopes
        cnx = connectionId
    }

    /// Checked by `ConnectionTokens.verify` against the injected clock, not here.
    public func verify(using _: some JWTAlgorithm) async throws {}
}

/// Mints and verifies the tokens this ledger issues, with its own ES256 keys: the newest key
/// signs, every listed key verifies (so tokens outlive a key rotation until they expire).
public struct ConnectionTokens: Sendable {
    public let ring: SigningKeyRing
    public let issuer: String
    public let audience: String
    let verified = VerifiedTokens<ConnectionTokenClaims>()

    public init(ring: SigningKeyRing, issuer: String, audience: String) {
        self.ring = ring
        self.issuer = issuer
        self.audience = audience
    }

    public init(signingKeys: [SigningKey], issuer: String, audience: String) async throws {
        self.init(ring: try await SigningKeyRing(keys: signingKeys), issuer: issuer, audience: audience)
    }

    public func mint(_ claims: ConnectionTokenClaims) async throws -> String {
        try await ring.collection.sign(claims, kid: JWKIdentifier(string: ring.signingKid), header: ["typ": "JWT"])
    }

    /// Signature by one of our keys (ES256 only), then `exp`, `iss` and `aud`. Revocation is the
    /// caller's next step: it needs the ledger.
    public func verify(_ token: String, now: Date) async throws(TokenVerificationError) -> ConnectionTokenClaims {
        let claims = try await ring.verify(token, as: ConnectionTokenClaims.self, cache: verified)
        try claims.check(now: now, issuer: issuer, audience: audience)
        return claims
    }
}

/// The registered claims every token this ledger mints carries, checked the same way for each kind.
protocol LedgerTokenClaims: JWTPayload {
    var exp: ExpirationClaim { get }
    var iss: IssuerClaim { get }
    var aud: AudienceClaim { get }
}

extension LedgerTokenClaims {
    /// `exp` against the injected clock, then `iss` and `aud`.
    func check(now: Date, issuer: String, audience: String) throws(TokenVerificationError) {
        guard exp.value > now else { throw TokenVerificationError(reason: "token expired") }
        guard iss.value == issuer else { throw TokenVerificationError(reason: "iss is not this ledger") }
        guard aud.value.contains(audience) else {
            throw TokenVerificationError(reason: "aud does not include \(audience)")
        }
    }
}

extension ConnectionTokenClaims: LedgerTokenClaims {}

extension SigningKeyRing {
    /// ES256 by one of the listed keys, checked before any key is used; a cached verification
    /// still requires its key to be listed.
    func verify<Claims: JWTPayload>(
        _ token: String, as _: Claims.Type, cache: VerifiedTokens<Claims>, typ: String? = nil
    ) async throws(TokenVerificationError) -> Claims {
        guard token.utf8.count <= 8192 else { throw TokenVerificationError(reason: "token too long") }
        if let cached = cache.claims(for: token), knows(kid: cached.kid) { return cached.claims }
        let header = try TrustedIssuers.header(of: token)
        guard header.alg == "ES256" || header.alg == "RS256" else {
            throw TokenVerificationError(reason: "alg \(header.alg ?? "(missing)") is not accepted; only ES256 and RS256")
        }
        // The key decides the algorithm, never the header alone (no RS256 header on an ES256 key).
        guard let kid = header.kid, let algorithm = algorithm(ofKid: kid) else {
            throw TokenVerificationError(reason: "the token was not signed by a key of this ledger")
        }
        guard algorithm.rawValue == header.alg else {
            throw TokenVerificationError(reason: "alg \(header.alg ?? "") does not match the key \(kid)")
        }
        if let typ, header.typ?.lowercased() != typ, header.typ?.lowercased() != "application/\(typ)" {
            throw TokenVerificationError(reason: "typ must be \(typ)")
        }
        let claims: Claims
        do {
            claims = try await collection.verify(token, as: Claims.self)
        } catch {
            throw TokenVerificationError(reason: "signature or claims are not valid")
        }
        cache.remember(token, kid: kid, claims)
        return claims
    }
}

extension ConnectionTokens {
    /// Whether the token's header names one of our keys; says nothing of its validity.
    public func signedHere(_ token: String) -> Bool {
        guard let kid = try? TrustedIssuers.header(of: token).kid else { return false }
        return ring.knows(kid: kid)
    }
}

extension ConnectionTokenClaims {
    /// The claim values, for callers that do not import JWTKit.
    public var jtiValue: String { jti.value }
    public var subjectValue: String { sub.value }
    public var expiresAt: Date { exp.value }
}
