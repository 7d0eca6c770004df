import Crypto
import CryptoExtras
import Foundation
import JWTKit
import LedgerCore

/// An RS256 key this ledger signs with: OpenID Connect Core §15.1 makes RS256 the one algorithm
/// every relying party supports, so ID tokens are signed with it unless a client chose ES256.
/// `kid` is the RFC 7638 thumbprint of the public key, as for the ES256 keys.
public struct RSASigningKey: Sendable {
    public let privateKey: JWTKit.Insecure.RSA.PrivateKey
    public let kid: String
    public let createdAt: Date
    public let path: String
    let modulus: String
    let exponent: String

    public init(privateKey: JWTKit.Insecure.RSA.PrivateKey, createdAt: Date, path: String) throws {
        let (n, e) = try privateKey.publicKey.getKeyPrimitives()
        modulus = Base64URL.encode(Self.unsigned(n))
        exponent = Base64URL.encode(Self.unsigned(e))
        self.privateKey = privateKey
        self.kid = Base64URL.encode(
            Data(SHA256.hash(data: Data(#"{"e":"\#(exponent)","kty":"RSA","n":"\#(modulus)"}"#.utf8))))
        self.createdAt = createdAt
        self.path = path
    }

    /// A fresh 2048-bit key (RFC 7518 §3.3's minimum), as PEM.
    static func generatePEM() throws -> String {
        try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation
    }

    /// The public half as a JWK, as served in `/.well-known/jwks.json`.
    public var publicJWK: [String: String] {
        ["kty": "RSA", "n": modulus, "e": exponent, "kid": kid, "use": "sig", "alg": "RS256"]
    }

    /// JWK integers are unsigned big-endian without leading zero bytes (RFC 7518 §6.3.1).
    private static func unsigned(_ bytes: Data) -> Data {
        let trimmed = bytes.drop { $0 == 0 }
        return trimmed.isEmpty ? Data([0]) : Data(trimmed)
    }
}
