/// The admin bearer credential, kept only as a SHA-256 hex digest. Setting a new one is an event
/// so credential changes show up in the audit like everything else.
public struct AdminCredentialSet: DomainEvent {
    public static let type = "AdminCredentialSet"
    public static let typeVersion = 1
    public static let stream = "admin/credential"

    public var tokenSha256: String
    public var setAtMs: Int64

    public init(tokenSha256: String, setAtMs: Int64) {
        self.tokenSha256 = tokenSha256
        self.setAtMs = setAtMs
    }

    enum CodingKeys: String, CodingKey {
        case tokenSha256 = "token_sha256"
        case setAtMs = "set_at_ms"
    }
}

public enum AdminCredentialDecider {
    /// Setting the credential it already has records nothing, so restarts with the same
    /// configured admin credential leave the log alone.
    public static func decide(currentSha256: String?, newSha256: String, nowMs: Int64) -> [AdminCredentialSet] {
        currentSha256 == newSha256 ? [] : [AdminCredentialSet(tokenSha256: newSha256, setAtMs: nowMs)]
    }
}
