import Crypto
import Foundation
import JWTKit
import LedgerCore

/// Who the operator's login system says the caller is, from a verified short-lived JWT.
public struct UserIdentity: Sendable, Equatable {
    public var subject: String
    public var address: String?
    public var issuer: String?
    public var expiresAt: Date
    /// When the operator's login system authenticated the user (the token's `iat`), for the ID
    /// token's `auth_time`; nil when the token did not say.
    public var authTime: Date?

    public init(subject: String, address: String?, issuer: String?, expiresAt: Date, authTime: Date? = nil) {
        self.subject = subject
        self.address = address
        self.issuer = issuer
        self.expiresAt = expiresAt
        self.authTime = authTime
    }
}

public struct TokenVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
    public init(reason: String) { self.reason = reason }
}

/// Verifies the operator's short-lived ES256 JWTs against configured public keys. Only ES256 is
/// ever accepted: `none`, HMAC (including HMAC keyed with a public key) and every other `alg` are
/// refused before any key is looked at.
public struct TrustedIssuers: Sendable {
    /// One collection per key, each holding its key as the default, keyed by RFC 7638 thumbprint.
    let keys: [(kid: String, collection: JWTKeyCollection)]
    public let issuer: String?
    public let audience: String?
    /// Tolerated clock difference with the issuer when checking `exp`.
    public let leewaySec: Int

    public init(publicKeyPEMs: [String], issuer: String? = nil, audience: String? = nil, leewaySec: Int = 0)
        async throws
    {
        var keys: [(kid: String, collection: JWTKeyCollection)] = []
        for pem in publicKeyPEMs {
            let key: ES256PublicKey
            do {
                key = try ES256PublicKey(pem: pem)
            } catch {
                throw TokenVerificationError(reason: "a trusted issuer key is not an ES256 (P-256) public key in PEM")
            }
            let crypto = try P256.Signing.PublicKey(pemRepresentation: pem)
            keys.append((SigningKey.thumbprint(of: crypto), await JWTKeyCollection().add(ecdsa: key)))
        }
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leewaySec = leewaySec
    }

    /// Keys from PEM files, plus keys already in memory (the dev login key).
    public static func loading(paths: [String], extraPEMs: [String] = [], issuer: String?, audience: String?)
        async throws -> TrustedIssuers
    {
        let pems = try paths.map { path in
            do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw TokenVerificationError(
                    reason: "cannot read trusted issuer key \(path): \(error.localizedDescription)")
            }
        }
        return try await TrustedIssuers(publicKeyPEMs: pems + extraPEMs, issuer: issuer, audience: audience)
    }

    public func verify(_ token: String, now: Date) async throws(TokenVerificationError) -> UserIdentity {
        guard !keys.isEmpty else { throw TokenVerificationError(reason: "no trusted issuer keys are configured") }
        let header = try Self.header(of: token)
        guard header.alg == "ES256" else {
            throw TokenVerificationError(reason: "alg \(header.alg ?? "(missing)") is not accepted; only ES256")
        }
        // A kid that names one of our keys selects it; otherwise each configured key is tried.
        let candidates = keys.filter { $0.kid == header.kid }.isEmpty ? keys : keys.filter { $0.kid == header.kid }
        var verified: UserTokenClaims?
        for candidate in candidates {
            if let claims = try? await candidate.collection.verify(token, as: UserTokenClaims.self) {
                verified = claims
                break
            }
        }
        guard let claims = verified else {
            throw TokenVerificationError(reason: "signature is not valid for any trusted issuer key")
        }
        guard let exp = claims.exp else { throw TokenVerificationError(reason: "exp is required") }
        guard exp.value.addingTimeInterval(TimeInterval(leewaySec)) > now else {
            throw TokenVerificationError(reason: "token expired")
        }
        guard let subject = claims.sub?.value, !subject.isEmpty else {
            throw TokenVerificationError(reason: "sub is required")
        }
        if let issuer, claims.iss?.value != issuer {
            throw TokenVerificationError(reason: "iss is not the trusted issuer")
        }
        if let audience, !(claims.aud?.value.contains(audience) ?? false) {
            throw TokenVerificationError(reason: "aud does not include \(audience)")
        }
        return UserIdentity(
            subject: subject, address: claims.address, issuer: claims.iss?.value, expiresAt: exp.value,
            authTime: claims.iat?.value)
    }

    /// A claim of a token `verify` accepted, as text (a number is written out), read from its
    /// payload: for claims the operator names in configuration, which no fixed type declares.
    public static func claim(_ name: String, of token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(parts[1]),
            let payload = try? JSONDecoder().decode([String: ClaimText].self, from: data)
        else { return nil }
        return payload[name]?.text
    }

    /// A claim's value as text when it is a string or a whole number; nil for anything else.
    struct ClaimText: Decodable {
        var text: String?
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                text = string
            } else if let number = try? container.decode(Int64.self) {
                text = String(number)
            }
        }
    }

    struct Header: Decodable {
        var alg: String?
        var kid: String?
        var typ: String?
    }

    /// Read before verification so the algorithm allow-list does not depend on how a library
    /// picks keys.
    static func header(of token: String) throws(TokenVerificationError) -> Header {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(parts[0]),
            let header = try? JSONDecoder().decode(Header.self, from: data)
        else { throw TokenVerificationError(reason: "not a JWT (expected header.payload.signature)") }
        return header
    }
}

/// The claims of the operator's short-lived user JWT (seed 000). Public so the dev stand-in
/// (`grantledger user-token`) mints exactly what is verified here.
public struct UserTokenClaims: JWTPayload {
    public var sub: SubjectClaim?
    public var exp: ExpirationClaim?
    public var iss: IssuerClaim?
    public var aud: AudienceClaim?
    public var iat: IssuedAtClaim?
    public var address: String?

    public init(subject: String, expiresAt: Date, issuer: String?, audience: String?, address: String?) {
        sub = SubjectClaim(value: subject)
        exp = ExpirationClaim(value: expiresAt)
        iss = issuer.map { IssuerClaim(value: $0) }
        aud = audience.map { AudienceClaim(value: [$0]) }
        self.address = address
    }

    /// Claims are checked by `TrustedIssuers.verify` with the injected clock, not here.
    public func verify(using _: some JWTAlgorithm) async throws {}
}
