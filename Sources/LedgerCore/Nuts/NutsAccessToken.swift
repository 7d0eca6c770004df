import Foundation

/// What a Nuts access token stands for, as introspection answers it and as the audit trail
/// completes a record made with it.
public struct NutsAccessToken: Codable, Sendable, Equatable {
    public var jti: String
    /// The requester: the care organisation acting (the token's `sub`).
    public var requester: String
    /// The authorizer: the custodian asked for access (the token's `iss` in the node).
    public var authorizer: String
    public var service: String
    public var signer: SignerIdentity
    /// The signed login contract the identity came from.
    public var contract: String
    public var issuedAtMs: Int64
    public var expiresAtMs: Int64

    public init(
        jti: String, requester: String, authorizer: String, service: String, signer: SignerIdentity, contract: String,
        issuedAtMs: Int64, expiresAtMs: Int64
    ) {
        self.jti = jti
        self.requester = requester
        self.authorizer = authorizer
        self.service = service
        self.signer = signer
        self.contract = contract
        self.issuedAtMs = issuedAtMs
        self.expiresAtMs = expiresAtMs
    }

    enum CodingKeys: String, CodingKey {
        case jti, requester, authorizer, service, signer, contract
        case issuedAtMs = "issued_at_ms"
        case expiresAtMs = "expires_at_ms"
    }
}
