import Crypto
import Foundation
import JWTKit
import LedgerCore

/// An ES256 key this ledger signs with. `kid` is the RFC 7638 thumbprint of the public key, so the
/// same key always has the same id, wherever it is loaded.
public struct SigningKey: Sendable {
    public let privateKey: P256.Signing.PrivateKey
    public let kid: String
    public let createdAt: Date
    public let path: String

    public init(privateKey: P256.Signing.PrivateKey, createdAt: Date, path: String) {
        self.privateKey = privateKey
        self.kid = Self.thumbprint(of: privateKey.publicKey)
        self.createdAt = createdAt
        self.path = path
    }

    /// The public half as a JWK, as served in `/.well-known/jwks.json`.
    public var publicJWK: [String: String] {
        let (x, y) = Self.coordinates(of: privateKey.publicKey)
        return ["kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": kid, "use": "sig", "alg": "ES256"]
    }

    /// RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
    public static func thumbprint(of publicKey: P256.Signing.PublicKey) -> String {
        let (x, y) = coordinates(of: publicKey)
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
        return Base64URL.encode(Data(SHA256.hash(data: Data(canonical.utf8))))
    }

    static func coordinates(of publicKey: P256.Signing.PublicKey) -> (x: String, y: String) {
        // x963 is 0x04 ‖ x ‖ y, each coordinate 32 bytes.
        let raw = publicKey.x963Representation
        return (Base64URL.encode(raw.subdata(in: 1..<33)), Base64URL.encode(raw.subdata(in: 33..<65)))
    }
}
