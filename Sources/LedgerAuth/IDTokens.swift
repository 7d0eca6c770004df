import Crypto
import Foundation
import JWTKit
import LedgerCore

/// OpenID Connect Core §2's ID token: who logged in (`sub`), for which client (`aud`, `azp`),
/// when (`auth_time`), the client's `nonce` echoed, and `at_hash` binding it to the access token
/// issued with it (§3.1.3.6).
public struct IDTokenClaims: JWTPayload, Equatable {
    public var iss: IssuerClaim
    public var sub: SubjectClaim
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    public var auth_time: Int64?
    public var nonce: String?
    public var azp: String
    public var at_hash: String?

    public init(
        issuer: String, subject: String, clientId: String, issuedAt: Date, expiresAt: Date, authTime: Date?,
        nonce: String?, accessToken: String?
    ) {
        iss = IssuerClaim(value: issuer)
        sub = SubjectClaim(value: subject)
        aud = AudienceClaim(value: [clientId])
        iat = IssuedAtClaim(value: Date(timeIntervalSince1970: issuedAt.timeIntervalSince1970.rounded(.down)))
        exp = ExpirationClaim(value: Date(timeIntervalSince1970: expiresAt.timeIntervalSince1970.rounded(.down)))
        auth_time = authTime.map { Int64($0.timeIntervalSince1970.rounded(.down)) }
        self.nonce = nonce
        azp = clientId
        at_hash = accessToken.map(Self.accessTokenHash)
    }

    /// §3.1.3.6: base64url of the left half of the SHA-256 of the access token's ASCII, the hash
    /// both RS256 and ES256 use.
    public static func accessTokenHash(_ accessToken: String) -> String {
        Base64URL.encode(Data(SHA256.hash(data: Data(accessToken.utf8))).prefix(16))
    }

    /// Only ever minted here; relying parties verify it.
    public func verify(using _: some JWTAlgorithm) async throws {}
}

/// Mints ID tokens with the ledger's key ring: RS256 unless the client chose ES256.
public struct IDTokens: Sendable {
    public let ring: SigningKeyRing
    public let issuer: String

    public init(ring: SigningKeyRing, issuer: String) {
        self.ring = ring
        self.issuer = issuer
    }

    /// `typ` JWT, never `at+jwt`: an ID token is refused wherever an access token is asked for.
    public func mint(_ claims: IDTokenClaims, algorithm: SigningAlgorithm) async throws -> String {
        try await ring.collection.sign(
            claims, kid: JWKIdentifier(string: ring.signer(for: algorithm).kid), header: ["typ": "JWT"])
    }
}
