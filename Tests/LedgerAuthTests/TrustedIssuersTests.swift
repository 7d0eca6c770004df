import Crypto
import Foundation
import JWTKit
import LedgerAuth
import Testing

struct OperatorClaims: JWTPayload {
    var sub: SubjectClaim?
    var exp: ExpirationClaim?
    var iss: IssuerClaim?
    var aud: AudienceClaim?
    var address: String?
    func verify(using _: some JWTAlgorithm) async throws {}
}

@Suite struct TrustedIssuersTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let operatorKey = P256.Signing.PrivateKey()

    func claims(exp: TimeInterval = 600, iss: String? = "https://login.example", aud: String? = "grantledger")
        -> OperatorClaims
    {
        OperatorClaims(
            sub: "user-42", exp: .init(value: now.addingTimeInterval(exp)), iss: iss.map { IssuerClaim(value: $0) },
            aud: aud.map { AudienceClaim(value: [$0]) }, address: "$alice@example.com")
    }

    func sign(_ claims: OperatorClaims, with key: P256.Signing.PrivateKey? = nil) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: try ES256PrivateKey(pem: (key ?? operatorKey).pemRepresentation))
        return try await keys.sign(claims)
    }

    func issuers(iss: String? = "https://login.example", aud: String? = "grantledger") async throws -> TrustedIssuers {
        try await TrustedIssuers(publicKeyPEMs: [operatorKey.publicKey.pemRepresentation], issuer: iss, audience: aud)
    }

    @Test func aValidES256TokenYieldsTheUser() async throws {
        let identity = try await issuers().verify(try await sign(claims()), now: now)
        #expect(identity.subject == "user-42")
        #expect(identity.address == "$alice@example.com")
    }

    @Test func anyOfSeveralConfiguredKeysMayHaveSigned() async throws {
        let other = P256.Signing.PrivateKey()
        let trusted = try await TrustedIssuers(
            publicKeyPEMs: [other.publicKey.pemRepresentation, operatorKey.publicKey.pemRepresentation], issuer: nil,
            audience: nil)
        #expect(try await trusted.verify(try await sign(claims()), now: now).subject == "user-42")
    }

    @Test func anExpiredTokenIsRefused() async throws {
        await #expect(throws: TokenVerificationError(reason: "token expired")) {
            try await issuers().verify(try await sign(claims(exp: -1)), now: now)
        }
    }

    @Test func aTokenWithoutExpIsRefused() async throws {
        var noExp = claims()
        noExp.exp = nil
        await #expect(throws: TokenVerificationError(reason: "exp is required")) {
            try await issuers().verify(try await sign(noExp), now: now)
        }
    }

    @Test func aTokenFromAnotherKeyIsRefused() async throws {
        let token = try await sign(claims(), with: P256.Signing.PrivateKey())
        await #expect(throws: TokenVerificationError.self) { try await issuers().verify(token, now: now) }
    }

    @Test func algNoneIsRefused() async throws {
        let header = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64URL
        let payload = Data(#"{"sub":"user-42","exp":1900000000}"#.utf8).base64URL
        await #expect(throws: TokenVerificationError(reason: "alg none is not accepted; only ES256")) {
            try await issuers().verify("\(header).\(payload).", now: now)
        }
    }

    /// The classic key-confusion attack: HMAC keyed with the issuer's public key.
    @Test func hs256SignedWithThePublicKeyIsRefused() async throws {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: operatorKey.publicKey.pemRepresentation), digestAlgorithm: .sha256)
        let token = try await keys.sign(claims())
        await #expect(throws: TokenVerificationError(reason: "alg HS256 is not accepted; only ES256")) {
            try await issuers().verify(token, now: now)
        }
    }

    @Test func wrongIssuerOrAudienceIsRefused() async throws {
        await #expect(throws: TokenVerificationError.self) {
            try await issuers().verify(try await sign(claims(iss: "https://evil.example")), now: now)
        }
        await #expect(throws: TokenVerificationError.self) {
            try await issuers().verify(try await sign(claims(aud: "someone-else")), now: now)
        }
    }

    @Test func garbageIsRefusedAsNotAJWT() async throws {
        await #expect(throws: TokenVerificationError(reason: "not a JWT (expected header.payload.signature)")) {
            try await issuers().verify("hello", now: now)
        }
    }

    @Test func withoutConfiguredKeysNothingVerifies() async throws {
        let none = try await TrustedIssuers(publicKeyPEMs: [])
        await #expect(throws: TokenVerificationError(reason: "no trusted issuer keys are configured")) {
            try await none.verify(try await sign(claims()), now: now)
        }
    }
}

extension Data {
    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
