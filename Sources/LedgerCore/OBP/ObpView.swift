import Foundation

/// A view: a set of permissions on a bank account. System views (`owner`, `accountant`, …) are
/// the same on every account; custom views (ids starting with `_`) belong to one account. A
/// user sees an account only through a view it was granted access to.
public struct ObpView: Codable, Sendable, Equatable {
    public var id: String
    /// Nil for a system view.
    public var bankId: String?
    public var accountId: String?
    public var shortName: String
    public var description: String
    public var metadataView: String
    public var isPublic: Bool
    public var isSystem: Bool
    /// `""`, `public` or `private`: which alias of the other account to show.
    public var alias: String
    public var hideMetadataIfAliasUsed: Bool
    /// The boolean permissions this view grants (names from `ObpViewPermissions`), sorted.
    public var permissions: [String]
    /// The views a holder of this view may grant, and revoke.
    public var canGrantAccessToViews: [String]
    public var canRevokeAccessToViews: [String]

    public init(
        id: String, bankId: String? = nil, accountId: String? = nil, shortName: String, description: String,
        metadataView: String = "", isPublic: Bool = false, isSystem: Bool, alias: String = "",
        hideMetadataIfAliasUsed: Bool = false, permissions: [String], canGrantAccessToViews: [String] = [],
        canRevokeAccessToViews: [String] = []
    ) {
        self.id = id
        self.bankId = bankId
        self.accountId = accountId
        self.shortName = shortName
        self.description = description
        self.metadataView = metadataView
        self.isPublic = isPublic
        self.isSystem = isSystem
        self.alias = alias
        self.hideMetadataIfAliasUsed = hideMetadataIfAliasUsed
        self.permissions = Array(Set(permissions)).sorted()
        self.canGrantAccessToViews = Array(Set(canGrantAccessToViews)).sorted()
        self.canRevokeAccessToViews = Array(Set(canRevokeAccessToViews)).sorted()
    }

    public func allows(_ permission: String) -> Bool { permissions.contains(permission) }

    /// Custom view ids start with `_` in OBP; every other id names a system view.
    public static func isCustomId(_ id: String) -> Bool { id.hasPrefix("_") }

    enum CodingKeys: String, CodingKey {
        case id
        case bankId = "bank_id"
        case accountId = "account_id"
        case shortName = "short_name"
        case description
        case metadataView = "metadata_view"
        case isPublic = "is_public"
        case isSystem = "is_system"
        case alias
        case hideMetadataIfAliasUsed = "hide_metadata_if_alias_used"
        case permissions
        case canGrantAccessToViews = "can_grant_access_to_views"
        case canRevokeAccessToViews = "can_revoke_access_to_views"
    }
}

/// One user's access to one account through one view. Revoking keeps it with when and by whom.
public struct AccountAccess: Codable, Sendable, Equatable {
    public var id: String
    public var bankId: String
    public var accountId: String
    public var viewId: String
    public var userId: String
    public var grantedAtMs: Int64
    public var grantedBy: String
    public var revokedAtMs: Int64?
    public var revokedBy: String?

    public init(
        id: String, bankId: String, accountId: String, viewId: String, userId: String, grantedAtMs: Int64,
        grantedBy: String, revokedAtMs: Int64? = nil, revokedBy: String? = nil
    ) {
        self.id = id
        self.bankId = bankId
        self.accountId = accountId
        self.viewId = viewId
        self.userId = userId
        self.grantedAtMs = grantedAtMs
        self.grantedBy = grantedBy
        self.revokedAtMs = revokedAtMs
        self.revokedBy = revokedBy
    }
}
