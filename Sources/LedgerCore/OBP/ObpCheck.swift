import Foundation

/// A resource server's question (`POST /authz/check`): may this user use this permission on this
/// account (through a view), or does it hold this role (at this bank, or system-wide)?
public struct ObpCheck: Codable, Sendable, Equatable {
    public var userId: String
    public var bankId: String?
    public var accountId: String?
    public var permission: String?
    public var role: String?

    public init(userId: String, bankId: String? = nil, accountId: String? = nil, permission: String? = nil, role: String? = nil) {
        self.userId = userId
        self.bankId = bankId
        self.accountId = accountId
        self.permission = permission
        self.role = role
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case bankId = "bank_id"
        case accountId = "account_id"
        case permission, role
    }

    public static let permissionBytesMax = 100
}

public struct ObpCheckAnswer: Codable, Sendable, Equatable {
    public var allowed: Bool
    public var reason: String
    public var viewId: String?
    public var entitlementId: String?

    public init(allowed: Bool, reason: String, viewId: String? = nil, entitlementId: String? = nil) {
        self.allowed = allowed
        self.reason = reason
        self.viewId = viewId
        self.entitlementId = entitlementId
    }

    enum CodingKeys: String, CodingKey {
        case allowed, reason
        case viewId = "view_id"
        case entitlementId = "entitlement_id"
    }
}

/// The decision a resource server consults: a permission is allowed through the first view (by
/// id) the user has on the account that grants it; a role through a live entitlement at that
/// bank (or system-wide for a system role). Anything else is refused, with the reason.
public enum AuthorizationDecider {
    /// Refused before anything is written: exactly one of `permission` and `role`, a known name, a
    /// bank and account for a permission, a bank for a bank role and none for a system role.
    public static func validate(_ check: ObpCheck) -> ObpError? {
        switch (check.permission, check.role) {
        case (let permission?, nil):
            guard ObpViewPermissions.known.contains(permission) else {
                return ObpError(.invalidValue, "permission must be one of OBP's view permissions (can_…)")
            }
            guard check.bankId != nil, check.accountId != nil else {
                return ObpError(.invalidJson, "a permission is checked on an account: bank_id and account_id are required")
            }
        case (nil, let role?):
            guard let requiresBankId = ObpRoles.requiresBankId(role) else {
                return ObpError(.invalidRoleName, String(role.prefix(64)))
            }
            let bankId = check.bankId ?? ""
            if requiresBankId && bankId.isEmpty { return ObpError(.entitlementIsBankRole) }
            if !requiresBankId && !bankId.isEmpty { return ObpError(.entitlementIsSystemRole) }
            guard check.accountId == nil else { return ObpError(.invalidJson, "a role is not checked on an account") }
        default:
            return ObpError(.invalidJson, "give either permission or role")
        }
        return nil
    }

    /// `views` are the views the user has live access to on the account; `roles` its live
    /// entitlements. `userExists` false refuses everything.
    public static func decide(_ check: ObpCheck, userExists: Bool, accountExists: Bool, views: [ObpView], roles: [Entitlement])
        -> ObpCheckAnswer
    {
        guard userExists else { return ObpCheckAnswer(allowed: false, reason: "no such user") }
        if let permission = check.permission {
            guard accountExists else { return ObpCheckAnswer(allowed: false, reason: "no such account") }
            if let view = views.sorted(by: { $0.id < $1.id }).first(where: { $0.allows(permission) }) {
                return ObpCheckAnswer(allowed: true, reason: "view \(view.id) grants \(permission)", viewId: view.id)
            }
            return ObpCheckAnswer(
                allowed: false,
                reason: views.isEmpty
                    ? "the user has no view on this account" : "no view the user has on this account grants \(permission)")
        }
        let role = check.role ?? ""
        let bankId = check.bankId ?? ""
        if let held = roles.sorted(by: { $0.id < $1.id }).first(where: { $0.roleName == role && $0.bankId == bankId }) {
            return ObpCheckAnswer(allowed: true, reason: "the user holds \(role)", entitlementId: held.id)
        }
        return ObpCheckAnswer(allowed: false, reason: "the user does not hold \(role)" + (bankId.isEmpty ? "" : " at \(bankId)"))
    }
}
