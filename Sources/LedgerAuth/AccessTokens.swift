import Foundation
import JWTKit
import LedgerCore

/// RFC 9068 claims of an OAuth access token: `iss`, `sub`, `aud`, `exp`, `iat`, `jti`,
/// `client_id` and the space-separated `scope`; and OpenID Connect's `azp`, the client it was
/// issued to, which NUT-21 mints and OpenID verifiers compare with their own client id.
public struct AccessTokenClaims: LedgerTokenClaims, Equatable {
    public var iss: IssuerClaim
    public var sub: SubjectClaim
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    public var jti: IDClaim
    public var client_id: String
    public var scope: String
    /// Optional only to read tokens minted before it was added.
    public var azp: String?

    public init(
        issuer: String, subject: String, audience: String, issuedAt: Date, expiresAt: Date, jti: String,
        clientId: String, scopes: [String]
    ) {
        iss = IssuerClaim(value: issuer)
        sub = SubjectClaim(value: subject)
        aud = AudienceClaim(value: [audience])
        // Whole seconds: NumericDate readers expect integers.
        iat = IssuedAtClaim(value: Date(timeIntervalSince1970: issuedAt.timeIntervalSince1970.rounded(.down)))
        exp = ExpirationClaim(value: Date(timeIntervalSince1970: expiresAt.timeIntervalSince1970.rounded(.down)))
        self.jti = IDClaim(value: jti)
        client_id = clientId
        azp = clientId
        scope = scopes.joined(separator: " ")
    }

    /// Checked by `AccessTokens.verify` against the injected clock, not here.
    public func verify(using _: some JWTAlgorithm) async throws {}

    public var jtiValue: String { jti.value }
    public var subjectValue: String { sub.value }
    public var issuerValue: String { iss.value }
    public var audienceValues: [String] { aud.value }
    public var expiresAt: Date { exp.value }
    public var issuedAt: Date { iat.value }
    public var scopes: [String] { scope.split(separator: " ").map(String.init) }
}

/// Mints and verifies OAuth access tokens (`typ: at+jwt`) with the ledger's key ring.
public struct AccessTokens: Sendable {
    public static let typ = "at+jwt"

    public let ring: SigningKeyRing
    public let issuer: String
    public let audience: String
    let verified = VerifiedTokens<AccessTokenClaims>()

    public init(ring: SigningKeyRing, issuer: String, audience: String) {
        self.ring = ring
        self.issuer = issuer
        self.audience = audience
    }

    /// Signed with the client's choice of algorithm (ES256 unless it registered RS256).
    public func mint(_ claims: AccessTokenClaims, algorithm: SigningAlgorithm = .es256) async throws -> String {
        try await ring.collection.sign(
            claims, kid: JWKIdentifier(string: ring.signer(for: algorithm).kid), header: ["typ": .string(Self.typ)])
    }

    /// ES256 or RS256 by a listed key, `typ` at+jwt (RFC 9068 §4: so an ID token or a connection token
    /// cannot pass as an access token), then `exp`, `iss` and `aud`. Revocation is the caller's.
    public func verify(_ token: String, now: Date) async throws(TokenVerificationError) -> AccessTokenClaims {
        let claims = try await ring.verify(token, as: AccessTokenClaims.self, cache: verified, typ: Self.typ)
        try claims.check(now: now, issuer: issuer, audience: audience)
        return claims
    }
}
