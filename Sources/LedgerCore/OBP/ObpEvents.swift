import Foundation

// Open Bank Project's grants as facts. OBP keeps these as rows it edits and hard-deletes; here
// every grant and revocation is an event, so any past moment can be answered.

public struct ObpBankCreated: DomainEvent {
    public static let type = "ObpBankCreated"
    public static let typeVersion = 1
    public var bank: ObpBank

    public init(bank: ObpBank) { self.bank = bank }

    public static func stream(_ bankId: String) -> String { "obp-bank/\(bankId)" }
}

/// An account was created; its holder's `owner` access is a separate event in the same command.
public struct ObpAccountCreated: DomainEvent {
    public static let type = "ObpAccountCreated"
    public static let typeVersion = 1
    public var account: ObpAccount

    public init(account: ObpAccount) { self.account = account }

    public static func stream(bankId: String, accountId: String) -> String { "obp-account/\(bankId)/\(accountId)" }
}

public struct ObpUserCreated: DomainEvent {
    public static let type = "ObpUserCreated"
    public static let typeVersion = 1
    public var user: ObpUser

    public init(user: ObpUser) { self.user = user }

    public static func stream(_ userId: String) -> String { "obp-user/\(userId)" }
}

public struct EntitlementGranted: DomainEvent {
    public static let type = "EntitlementGranted"
    public static let typeVersion = 1
    public var entitlementId: String
    public var userId: String
    /// Empty for a system role.
    public var bankId: String
    public var roleName: String
    /// OBP's `createdByProcess`: `manual`, or `dauth` for roles granted with a DAuth user.
    public var createdByProcess: String

    public init(entitlementId: String, userId: String, bankId: String, roleName: String, createdByProcess: String = "manual") {
        self.entitlementId = entitlementId
        self.userId = userId
        self.bankId = bankId
        self.roleName = roleName
        self.createdByProcess = createdByProcess
    }

    enum CodingKeys: String, CodingKey {
        case entitlementId = "entitlement_id"
        case userId = "user_id"
        case bankId = "bank_id"
        case roleName = "role_name"
        case createdByProcess = "created_by_process"
    }
}

public struct EntitlementRevoked: DomainEvent {
    public static let type = "EntitlementRevoked"
    public static let typeVersion = 1
    public var entitlementId: String
    public var userId: String
    public var bankId: String
    public var roleName: String

    public init(entitlementId: String, userId: String, bankId: String, roleName: String) {
        self.entitlementId = entitlementId
        self.userId = userId
        self.bankId = bankId
        self.roleName = roleName
    }

    enum CodingKeys: String, CodingKey {
        case entitlementId = "entitlement_id"
        case userId = "user_id"
        case bankId = "bank_id"
        case roleName = "role_name"
    }
}

/// A custom view was created or changed: the whole view as it is from now on.
public struct ObpViewSaved: DomainEvent {
    public static let type = "ObpViewSaved"
    public static let typeVersion = 1
    public var view: ObpView
    public var created: Bool

    public init(view: ObpView, created: Bool) {
        self.view = view
        self.created = created
    }
}

public struct ObpViewDeleted: DomainEvent {
    public static let type = "ObpViewDeleted"
    public static let typeVersion = 1
    public var bankId: String
    public var accountId: String
    public var viewId: String

    public init(bankId: String, accountId: String, viewId: String) {
        self.bankId = bankId
        self.accountId = accountId
        self.viewId = viewId
    }

    enum CodingKeys: String, CodingKey {
        case bankId = "bank_id"
        case accountId = "account_id"
        case viewId = "view_id"
    }
}

public struct AccountAccessGranted: DomainEvent {
    public static let type = "AccountAccessGranted"
    public static let typeVersion = 1
    public var accessId: String
    public var bankId: String
    public var accountId: String
    public var viewId: String
    public var userId: String

    public init(accessId: String, bankId: String, accountId: String, viewId: String, userId: String) {
        self.accessId = accessId
        self.bankId = bankId
        self.accountId = accountId
        self.viewId = viewId
        self.userId = userId
    }

    enum CodingKeys: String, CodingKey {
        case accessId = "access_id"
        case bankId = "bank_id"
        case accountId = "account_id"
        case viewId = "view_id"
        case userId = "user_id"
    }
}

public struct AccountAccessRevoked: DomainEvent {
    public static let type = "AccountAccessRevoked"
    public static let typeVersion = 1
    public var accessId: String
    public var bankId: String
    public var accountId: String
    public var viewId: String
    public var userId: String

    public init(accessId: String, bankId: String, accountId: String, viewId: String, userId: String) {
        self.accessId = accessId
        self.bankId = bankId
        self.accountId = accountId
        self.viewId = viewId
        self.userId = userId
    }

    enum CodingKeys: String, CodingKey {
        case accessId = "access_id"
        case bankId = "bank_id"
        case accountId = "account_id"
        case viewId = "view_id"
        case userId = "user_id"
    }
}

/// A resource server asked whether a user may do something (`POST /authz/check`), and the answer.
public struct AuthorizationChecked: DomainEvent {
    public static let type = "AuthorizationChecked"
    public static let typeVersion = 1
    public static let stream = "authz-checks"
    public var check: ObpCheck
    public var answer: ObpCheckAnswer

    public init(check: ObpCheck, answer: ObpCheckAnswer) {
        self.check = check
        self.answer = answer
    }
}

/// DAuth refusals from one address, aggregated: at most one such event per address a minute,
/// carrying how many refusals it stands for, so knocking cannot fill the log.
public struct DAuthRefused: DomainEvent {
    public static let type = "DAuthRefused"
    public static let typeVersion = 1
    public static let stream = "dauth-refusals"
    public var ip: String
    public var reason: String
    /// Refusals from this address since the last such event (this one included).
    public var refusals: Int

    public init(ip: String, reason: String, refusals: Int) {
        self.ip = ip
        self.reason = reason
        self.refusals = refusals
    }
}
