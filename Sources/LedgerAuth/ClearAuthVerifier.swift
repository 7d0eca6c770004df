import Crypto
import Foundation
import JWTKit

/// Who a verified NUT-21 clear-auth token (CAT) says the caller is. `subject` is what a
/// rate limiter keys on.
public struct ClearAuthIdentity: Sendable, Equatable {
    public var subject: String
    public var clientId: String
    public var jti: String?
    public var expiresAt: Date

    public init(subject: String, clientId: String, jti: String?, expiresAt: Date) {
        self.subject = subject
        self.clientId = clientId
        self.jti = jti
        self.expiresAt = expiresAt
    }
}

/// Verifies CATs (OIDC access tokens sent in the `Clear-auth` header, NUT-21). Only ES256 and
/// RS256 are accepted, the two algorithms NUT-21 names: `none`, HMAC (including HMAC keyed with a
/// public key) and every other `alg` are refused from the header, before any key is looked at.
public struct ClearAuthVerifier: Sendable {
    public static let acceptedAlgorithms: Set<String> = ["ES256", "RS256"]
    /// Real access tokens are 1-2 KiB; anything this long is not worth parsing.
    public static let maxTokenBytes = 8192
    /// More keys than any provider publishes; bounds the work per JWKS.
    public static let maxJWKSKeys = 64

    public let issuer: String
    public let clientId: String
    /// Checked only when set: NUT-21 makes `aud` optional.
    public let audience: String?
    /// Tolerated clock difference with the provider when checking `exp` and `nbf`.
    public let leewaySec: Int
    let keyRing: ClearAuthKeyRing

    init(keyRing: ClearAuthKeyRing, issuer: String, clientId: String, audience: String?, leewaySec: Int) {
        self.keyRing = keyRing
        self.issuer = issuer
        self.clientId = clientId
        self.audience = audience
        self.leewaySec = leewaySec
    }

    /// Our own ES256 keys, each under its RFC 7638 thumbprint as `kid`.
    public init(
        signingKeys: [SigningKey], issuer: String, clientId: String, audience: String? = nil, leewaySec: Int = 0
    )
        async throws
    {
        guard !signingKeys.isEmpty else { throw TokenVerificationError(reason: "no clear-auth keys are configured") }
        var keys: [ClearAuthKey] = []
        for key in signingKeys { keys.append(try await .es256(key.privateKey.publicKey, kid: key.kid)) }
        self.init(
            keyRing: ClearAuthKeyRing(keys: keys), issuer: issuer, clientId: clientId, audience: audience,
            leewaySec: leewaySec)
    }

    /// A fixed JWKS document (e.g. the provider's, saved by the operator); never refetched.
    public init(jwksJSON: Data, issuer: String, clientId: String, audience: String? = nil, leewaySec: Int = 0)
        async throws
    {
        let keys = try await ClearAuthKey.fromJWKS(jwksJSON)
        self.init(
            keyRing: ClearAuthKeyRing(keys: keys), issuer: issuer, clientId: clientId, audience: audience,
            leewaySec: leewaySec)
    }

    /// The `kid`s currently trusted (after any refetch).
    public var keyIds: [String] {
        get async { await keyRing.keys.map(\.kid) }
    }

    public func verify(_ token: String, now: Date) async throws(TokenVerificationError) -> ClearAuthIdentity {
        guard token.utf8.count <= Self.maxTokenBytes else { throw TokenVerificationError(reason: "token too long") }
        let header = try TrustedIssuers.header(of: token)
        guard let alg = header.alg, Self.acceptedAlgorithms.contains(alg) else {
            throw TokenVerificationError(
                reason: "alg \(header.alg ?? "(missing)") is not accepted; only ES256 or RS256")
        }
        var candidates = await keyRing.candidates(kid: header.kid, alg: alg)
        // An unknown kid may be the provider's new key: look again, at most once a minute.
        if candidates.isEmpty, let kid = header.kid, await !keyRing.knows(kid: kid), await keyRing.refreshIfDue() {
            candidates = await keyRing.candidates(kid: kid, alg: alg)
        }
        guard !candidates.isEmpty else {
            throw TokenVerificationError(reason: "no \(alg) key of the provider has kid \(header.kid ?? "(missing)")")
        }
        let claims = try await Self.claims(of: token, checkedWith: candidates)

        guard let exp = claims.exp else { throw TokenVerificationError(reason: "exp is required") }
        let leeway = TimeInterval(leewaySec)
        guard exp.value.addingTimeInterval(leeway) > now else { throw TokenVerificationError(reason: "token expired") }
        if let nbf = claims.nbf, nbf.value > now.addingTimeInterval(leeway) {
            throw TokenVerificationError(reason: "token not valid yet (nbf)")
        }
        guard claims.iss?.value == issuer else {
            throw TokenVerificationError(reason: "iss is not the configured issuer")
        }
        guard let subject = claims.sub?.value, !subject.isEmpty else {
            throw TokenVerificationError(reason: "sub is required")
        }
        // `azp` is the OIDC name of the client a token was issued to; some providers (and RFC 9068)
        // use `client_id`. When `azp` is present it alone decides.
        if let azp = claims.azp {
            guard azp == clientId else { throw TokenVerificationError(reason: "azp is not the configured client id") }
        } else if let tokenClientId = claims.clientId {
            guard tokenClientId == clientId else {
                throw TokenVerificationError(reason: "client_id is not the configured client id")
            }
        } else {
            throw TokenVerificationError(reason: "token names no client (azp or client_id is required)")
        }
        if let audience, !(claims.aud?.value.contains(audience) ?? false) {
            throw TokenVerificationError(reason: "aud does not include \(audience)")
        }
        return ClearAuthIdentity(subject: subject, clientId: clientId, jti: claims.jti?.value, expiresAt: exp.value)
    }

    /// The first candidate whose signature holds decides; with a `kid` there is only one.
    private static func claims(of token: String, checkedWith candidates: [ClearAuthKey])
        async throws(TokenVerificationError) -> ClearAuthClaims
    {
        var malformed = false
        for candidate in candidates {
            do {
                return try await candidate.collection.verify(token, as: ClearAuthClaims.self)
            } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
                continue
            } catch {
                // The signature held (or the token could not be parsed at all): the claims are the problem.
                malformed = true
            }
        }
        throw TokenVerificationError(
            reason: malformed ? "token or its claims are malformed" : "signature is not valid for the provider's key")
    }
}

/// The claims read from a CAT; everything else the provider puts in is ignored.
struct ClearAuthClaims: JWTPayload {
    var sub: SubjectClaim?
    var exp: ExpirationClaim?
    var nbf: NotBeforeClaim?
    var iss: IssuerClaim?
    var aud: AudienceClaim?
    var jti: IDClaim?
    var azp: String?
    var clientId: String?

    enum CodingKeys: String, CodingKey {
        case sub, exp, nbf, iss, aud, jti, azp
        case clientId = "client_id"
    }

    /// Checked by `ClearAuthVerifier.verify` with the injected clock, not here.
    func verify(using _: some JWTAlgorithm) async throws {}
}
