/// A checkpoint key's public half, recorded in the log when the key is first used, so a verifier
/// years later finds every key that ever signed a checkpoint in the log itself. Keys are never
/// removed: a checkpoint signed by an old key still verifies.
public struct CheckpointKeyAdded: DomainEvent {
    public static let type = "CheckpointKeyAdded"
    public static let typeVersion = 1
    public static let stream = "checkpoint-keys"

    /// RFC 7638 thumbprint of `publicJWK`.
    public var kid: String
    /// `{"kty":"EC","crv":"P-256","x":…,"y":…,"kid":…,"alg":"ES256","use":"sig"}`.
    public var publicJWK: [String: String]
    public var addedAtMs: Int64

    public init(kid: String, publicJWK: [String: String], addedAtMs: Int64) {
        self.kid = kid
        self.publicJWK = publicJWK
        self.addedAtMs = addedAtMs
    }

    enum CodingKeys: String, CodingKey {
        case kid
        case publicJWK = "public_jwk"
        case addedAtMs = "added_at_ms"
    }
}
