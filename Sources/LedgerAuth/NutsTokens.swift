import Foundation
import JWTKit
import LedgerCore

/// The claims a practitioner's signed presentation carries in its proof: the contract and who
/// signed it, vouched for by this ledger's key (the means checked them).
public struct PresentationClaims: JWTPayload, Equatable {
    public var iss: IssuerClaim
    /// The organisation the practitioner acts for (the contract's legal entity).
    public var sub: SubjectClaim
    public var iat: IssuedAtClaim
    /// The contract's end: past it the presentation proves nothing.
    public var exp: ExpirationClaim
    /// The signing session's id.
    public var jti: IDClaim
    public var contract: String
    public var means: String
    public var vp_type: String
    public var initials: String
    public var prefix: String
    public var family_name: String
    public var email: String
    public var username: String
    public var user_role: String
    public var assurance_level: String

    public init(
        issuer: String, legalEntity: String, issuedAt: Date, expiresAt: Date, sessionId: String, contract: String,
        means: String, vpType: String, initials: String, prefix: String, familyName: String, email: String,
        username: String, role: String, assuranceLevel: String
    ) {
        iss = IssuerClaim(value: issuer)
        sub = SubjectClaim(value: legalEntity)
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: expiresAt)
        jti = IDClaim(value: sessionId)
        self.contract = contract
        self.means = means
        vp_type = vpType
        self.initials = initials
        self.prefix = prefix
        family_name = familyName
        self.email = email
        self.username = username
        user_role = role
        assurance_level = assuranceLevel
    }

    /// Checked by the caller against the time it is asked about (`checkTime`), not here.
    public func verify(using _: some JWTAlgorithm) async throws {}

    public var legalEntity: String { sub.value }
}

/// The claims of an access token that carries a practitioner's identity, named as the Nuts node
/// names them (`services.NutsAccessToken`).
public struct NutsAccessTokenClaims: JWTPayload, Equatable {
    /// The authorizer (the custodian asked for access).
    public var iss: IssuerClaim
    /// The requester (the care organisation acting).
    public var sub: SubjectClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    public var jti: IDClaim
    public var service: String

    public init(authorizer: String, requester: String, issuedAt: Date, expiresAt: Date, jti: String, service: String) {
        iss = IssuerClaim(value: authorizer)
        sub = SubjectClaim(value: requester)
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: expiresAt)
        self.jti = IDClaim(value: jti)
        self.service = service
    }

    public func verify(using _: some JWTAlgorithm) async throws {}

    public var jtiValue: String { jti.value }
}

/// Signs and checks presentations' proofs and Nuts access tokens with the ledger's ES256 key
/// ring. Each has its own `typ`, so neither passes for the other, nor for an OAuth access token.
public struct NutsTokens: Sendable {
    public static let presentationTyp = "nuts-vp+jwt"
    public static let accessTokenTyp = "nuts-at+jwt"

    public let ring: SigningKeyRing
    let presentations = VerifiedTokens<PresentationClaims>()
    let accessTokens = VerifiedTokens<NutsAccessTokenClaims>()

    public init(ring: SigningKeyRing) {
        self.ring = ring
    }

    public func signPresentation(_ claims: PresentationClaims) async throws -> String {
        try await ring.collection.sign(
            claims, kid: JWKIdentifier(string: ring.signer(for: .es256).kid), header: ["typ": .string(Self.presentationTyp)])
    }

    /// The signature and its key only; the contract's window is the caller's to check.
    public func verifyPresentation(_ jws: String) async throws(TokenVerificationError) -> PresentationClaims {
        try await ring.verify(jws, as: PresentationClaims.self, cache: presentations, typ: Self.presentationTyp)
    }

    public func mintAccessToken(_ claims: NutsAccessTokenClaims) async throws -> String {
        try await ring.collection.sign(
            claims, kid: JWKIdentifier(string: ring.signer(for: .es256).kid), header: ["typ": .string(Self.accessTokenTyp)])
    }

    /// Signature, key and expiry (with the Nuts node's 5 s of clock skew).
    public func verifyAccessToken(_ token: String, now: Date) async throws(TokenVerificationError) -> NutsAccessTokenClaims {
        let claims = try await ring.verify(token, as: NutsAccessTokenClaims.self, cache: accessTokens, typ: Self.accessTokenTyp)
        guard claims.exp.value.addingTimeInterval(5) > now else { throw TokenVerificationError(reason: "token expired") }
        return claims
    }
}
