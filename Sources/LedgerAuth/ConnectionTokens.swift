import Crypto
import Foundation
import JWTKit
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
    let collection: JWTKeyCollection
    let kids: Set<String>
    let signingKid: String
    public let issuer: String
    public let audience: String
    let verified = VerifiedTokens()

    public init(signingKeys: [SigningKey], issuer: String, audience: String) async throws {
        guard let newest = signingKeys.last else {
            throw TokenVerificationError(reason: "no signing key: run `grantledger keys generate`")
        }
        let collection = JWTKeyCollection()
        for key in signingKeys {
            await collection.add(
                ecdsa: try ES256PrivateKey(backing: key.privateKey), kid: JWKIdentifier(string: key.kid))
        }
        self.collection = collection
        self.kids = Set(signingKeys.map(\.kid))
        self.signingKid = newest.kid
        self.issuer = issuer
        self.audience = audience
    }

    public func mint(_ claims: ConnectionTokenClaims) async throws -> String {
        try await collection.sign(claims, kid: JWKIdentifier(string: signingKid), header: ["typ": "JWT"])
    }

    /// Signature by one of our keys (ES256 only), then `exp`, `iss` and `aud`. Revocation is the
    /// caller's next step: it needs the ledger.
    public func verify(_ token: String, now: Date) async throws(TokenVerificationError) -> ConnectionTokenClaims {
        guard token.utf8.count <= 8192 else { throw TokenVerificationError(reason: "token too long") }
        if let claims = verified.claims(for: token) {
            guard claims.exp.value > now else { throw TokenVerificationError(reason: "token expired") }
            return claims
        }
        let header = try TrustedIssuers.header(of: token)
        guard header.alg == "ES256" else {
            throw TokenVerificationError(reason: "alg \(header.alg ?? "(missing)") is not accepted; only ES256")
        }
        guard let kid = header.kid, kids.contains(kid) else {
            throw TokenVerificationError(reason: "the token was not signed by a key of this ledger")
        }
        let claims: ConnectionTokenClaims
        do {
            claims = try await collection.verify(token, as: ConnectionTokenClaims.self)
        } catch {
            throw TokenVerificationError(reason: "signature or claims are not valid")
        }
        guard claims.exp.value > now else { throw TokenVerificationError(reason: "token expired") }
        guard claims.iss.value == issuer else { throw TokenVerificationError(reason: "iss is not this ledger") }
        guard claims.aud.value.contains(audience) else {
            throw TokenVerificationError(reason: "aud does not include \(audience)")
        }
        verified.remember(token, claims)
        return claims
    }
}

/// Tokens whose signature, `iss` and `aud` already checked out. An app sends the same token on
/// every call, and an ES256 verification costs more than the rest of a read; the signature of a
/// given string cannot stop being valid (old keys stay until their tokens expire), so only `exp`
/// is checked again, and revocation is always the caller's fresh look-up.
final class VerifiedTokens: Sendable {
    static let capacity = 10_000
    private let entries = Mutex<[String: ConnectionTokenClaims]>([:])

    func claims(for token: String) -> ConnectionTokenClaims? {
        entries.withLock { $0[token] }
    }

    func remember(_ token: String, _ claims: ConnectionTokenClaims) {
        entries.withLock { entries in
            // Bounded; when full, start over rather than track recency: a miss only costs a verification.
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = claims
        }
    }
}

extension ConnectionTokens {
    /// Whether the token's header names one of our keys; says nothing of its validity.
    public func signedHere(_ token: String) -> Bool {
        guard let kid = try? TrustedIssuers.header(of: token).kid else { return false }
        return kids.contains(kid)
    }
}

extension ConnectionTokenClaims {
    /// The claim values, for callers that do not import JWTKit.
    public var jtiValue: String { jti.value }
    public var subjectValue: String { sub.value }
    public var expiresAt: Date { exp.value }
}
