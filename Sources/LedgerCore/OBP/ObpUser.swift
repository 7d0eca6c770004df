import Foundation

/// A user of the OBP surface: `(provider, username)` is unique. Made by the admin API, by the
/// operator's login (a trusted issuer's token), or by DAuth for a smart contract.
public struct ObpUser: Codable, Sendable, Equatable {
    public var id: String
    public var provider: String
    public var username: String
    public var email: String
    /// `admin`, `login` or `dauth`: how the user came to exist.
    public var createdBy: String

    public init(id: String, provider: String, username: String, email: String = "", createdBy: String) {
        self.id = id
        self.provider = provider
        self.username = username
        self.email = email
        self.createdBy = createdBy
    }

    enum CodingKeys: String, CodingKey {
        case id, provider, username, email
        case createdBy = "created_by"
    }
}

/// A role granted to a user, system-wide (`bankId` empty) or at one bank. Revoking keeps the row
/// with when and by whom, so "who held this role on 3 March" has an answer.
public struct Entitlement: Codable, Sendable, Equatable {
    public var id: String
    public var userId: String
    public var bankId: String
    public var roleName: String
    public var grantedAtMs: Int64
    public var grantedBy: String
    public var revokedAtMs: Int64?
    public var revokedBy: String?

    public init(
        id: String, userId: String, bankId: String, roleName: String, grantedAtMs: Int64, grantedBy: String,
        revokedAtMs: Int64? = nil, revokedBy: String? = nil
    ) {
        self.id = id
        self.userId = userId
        self.bankId = bankId
        self.roleName = roleName
        self.grantedAtMs = grantedAtMs
        self.grantedBy = grantedBy
        self.revokedAtMs = revokedAtMs
        self.revokedBy = revokedBy
    }

    /// Whether the role is held at `atMs` (granted at or before it, not revoked by then).
    public func isHeld(atMs: Int64) -> Bool {
        grantedAtMs <= atMs && (revokedAtMs.map { $0 > atMs } ?? true)
    }
}

/// Who is asking: the admin credential holds every role (to bootstrap the first grants); a user
/// holds what its live entitlements say.
public enum ObpCaller: Sendable, Equatable {
    case admin
    case user(ObpUser, roles: [Entitlement])

    public var userId: String? {
        if case .user(let user, _) = self { return user.id }
        return nil
    }

    /// Holds `role` at `bankId` ("" for a system role). The admin holds every role.
    public func holds(_ role: String, bankId: String = "") -> Bool {
        switch self {
        case .admin: true
        case .user(_, let roles): roles.contains { $0.roleName == role && $0.bankId == bankId }
        }
    }

    /// The actor the log records.
    public var actorId: String {
        switch self {
        case .admin: "admin"
        case .user(let user, _): "obp-user:\(user.id)"
        }
    }
}
