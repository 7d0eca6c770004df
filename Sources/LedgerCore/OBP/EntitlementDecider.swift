import Foundation

/// `POST /users/{USER_ID}/entitlements` as the request gave it: either field may be missing.
public struct EntitlementRequest: Sendable, Equatable {
    public var bankId: String?
    public var roleName: String?

    public init(bankId: String?, roleName: String?) {
        self.bankId = bankId
        self.roleName = roleName
    }
}

/// What granting a role depends on besides the request, read in the writer.
public struct EntitlementGrantState: Sendable {
    public var caller: ObpCaller
    public var bankExists: Bool
    public var targetUserExists: Bool
    /// The target already holds this role at this bank (a live entitlement).
    public var alreadyHeld: Bool

    public init(caller: ObpCaller, bankExists: Bool, targetUserExists: Bool, alreadyHeld: Bool) {
        self.caller = caller
        self.bankExists = bankExists
        self.targetUserExists = targetUserExists
        self.alreadyHeld = alreadyHeld
    }
}

/// Granting and revoking roles, checked in OBP's order so the first failing rule answers:
/// OBP-20005 (no such user, as OBP checks it first) → OBP-10001 (fields) → OBP-10007 (role) →
/// OBP-30205/30206 (level) → OBP-30001 (bank, bank roles only; a 400 here, as OBP answers it) →
/// OBP-20006 (the caller may not grant it) → OBP-30216 (held already).
public enum EntitlementDecider {
    public struct Validated: Sendable, Equatable {
        public var bankId: String
        public var roleName: String

        public init(bankId: String, roleName: String) {
            self.bankId = bankId
            self.roleName = roleName
        }
    }

    /// The rules that need nothing but the request: refused before anything is written.
    public static func validate(_ request: EntitlementRequest) -> Result<Validated, ObpError> {
        guard let bankId = request.bankId, let roleName = request.roleName else {
            return .failure(ObpError(.invalidJson, "bank_id and role_name are required"))
        }
        guard let requiresBankId = ObpRoles.requiresBankId(roleName) else {
            return .failure(ObpError(.invalidRoleName, String(roleName.prefix(64))))
        }
        if requiresBankId && bankId.isEmpty { return .failure(ObpError(.entitlementIsBankRole)) }
        if !requiresBankId && !bankId.isEmpty { return .failure(ObpError(.entitlementIsSystemRole)) }
        return .success(Validated(bankId: bankId, roleName: roleName))
    }

    /// `CanCreateEntitlementAtAnyBank` grants anything; `CanCreateEntitlementAtOneBank` grants
    /// bank roles at that bank only.
    public static func mayGrant(_ caller: ObpCaller, bankId: String) -> Bool {
        caller.holds(ObpRoles.createEntitlementAtAnyBank)
            || (!bankId.isEmpty && caller.holds(ObpRoles.createEntitlementAtOneBank, bankId: bankId))
    }

    public static func mayRevoke(_ caller: ObpCaller, bankId: String) -> Bool {
        caller.holds(ObpRoles.deleteEntitlementAtAnyBank)
            || (!bankId.isEmpty && caller.holds(ObpRoles.deleteEntitlementAtOneBank, bankId: bankId))
    }

    public static func missingGrantRoles(bankId: String) -> String {
        bankId.isEmpty
            ? ObpRoles.createEntitlementAtAnyBank
            : "\(ObpRoles.createEntitlementAtOneBank) or \(ObpRoles.createEntitlementAtAnyBank)"
    }

    /// The rules that need the ledger's state, decided in the writer.
    public static func grant(
        _ request: Validated, userId: String, state: EntitlementGrantState, entitlementId: String,
        createdByProcess: String = "manual"
    ) -> Result<[EntitlementGranted], ObpError> {
        guard state.targetUserExists else { return .failure(ObpError(.userNotFound)) }
        if !request.bankId.isEmpty && !state.bankExists {
            return .failure(ObpError(.bankNotFound, "Current BankId is \(request.bankId)", status: 400))
        }
        guard mayGrant(state.caller, bankId: request.bankId) else {
            return .failure(ObpError(.missingRoles, missingGrantRoles(bankId: request.bankId)))
        }
        guard !state.alreadyHeld else { return .failure(ObpError(.entitlementAlreadyExists)) }
        return .success([
            EntitlementGranted(
                entitlementId: entitlementId, userId: userId, bankId: request.bankId, roleName: request.roleName,
                createdByProcess: createdByProcess)
        ])
    }

    /// Every rule in order, as one function: what the table of rules tests.
    public static func decide(
        _ request: EntitlementRequest, userId: String, state: EntitlementGrantState, entitlementId: String
    ) -> Result<[EntitlementGranted], ObpError> {
        guard state.targetUserExists else { return .failure(ObpError(.userNotFound)) }
        return validate(request).flatMap { grant($0, userId: userId, state: state, entitlementId: entitlementId) }
    }

    /// `DELETE /users/{USER_ID}/entitlement/{ENTITLEMENT_ID}`: OBP-20006 (the caller holds no role
    /// to delete with) → OBP-30212 (no such entitlement, or revoked already) → OBP-20006 (not at
    /// its bank: `CanDeleteEntitlementAtOneBank` revokes bank roles of that bank, ours beside
    /// OBP's AnyBank) → OBP-30213 (another user's).
    public static func revoke(entitlementId: String, userId: String, current: Entitlement?, caller: ObpCaller)
        -> Result<[EntitlementRevoked], ObpError>
    {
        let holdsAny: Bool =
            switch caller {
            case .admin: true
            case .user(_, let roles):
                roles.contains { $0.roleName == ObpRoles.deleteEntitlementAtAnyBank || $0.roleName == ObpRoles.deleteEntitlementAtOneBank }
            }
        guard holdsAny else { return .failure(ObpError(.missingRoles, ObpRoles.deleteEntitlementAtAnyBank)) }
        guard let current, current.revokedAtMs == nil else { return .failure(ObpError(.entitlementNotFound)) }
        guard mayRevoke(caller, bankId: current.bankId) else {
            let roles =
                current.bankId.isEmpty
                ? ObpRoles.deleteEntitlementAtAnyBank
                : "\(ObpRoles.deleteEntitlementAtOneBank) or \(ObpRoles.deleteEntitlementAtAnyBank)"
            return .failure(ObpError(.missingRoles, roles))
        }
        guard current.userId == userId else { return .failure(ObpError(.userHasNoSuchEntitlement)) }
        return .success([
            EntitlementRevoked(entitlementId: current.id, userId: userId, bankId: current.bankId, roleName: current.roleName)
        ])
    }

    /// Roles granted with a user (`POST /user-entitlements`, DAuth), as OBP decides them: a caller
    /// holding `CanCreateEntitlementAtAnyBank` grants any role the user does not hold yet
    /// (OBP-30216); any other caller only roles it holds itself at that bank (OBP-30220: "the
    /// Roles actually granted will depend on the Roles that the calling user has"). One refused
    /// role refuses them all.
    public static func grantWithUser(
        _ requests: [Validated], userId: String, caller: ObpCaller, banksExisting: Set<String>, held: Set<String>,
        ids: [String]
    ) -> Result<[EntitlementGranted], ObpError> {
        for request in requests where !request.bankId.isEmpty && !banksExisting.contains(request.bankId) {
            return .failure(ObpError(.bankNotFound, "Current BANK_ID (\(request.bankId))", status: 400))
        }
        var seen = held
        var events: [EntitlementGranted] = []
        let grantsAnything = caller.holds(ObpRoles.createEntitlementAtAnyBank)
        for (index, request) in requests.enumerated() {
            if !grantsAnything && !caller.holds(request.roleName, bankId: request.bankId) {
                return .failure(
                    ObpError(
                        .entitlementCannotBeGranted,
                        "user_id(\(caller.userId ?? "admin")). The login user does not have the following roles: (\(request.roleName),\(request.bankId))"
                    ))
            }
            guard seen.insert(heldKey(bankId: request.bankId, roleName: request.roleName)).inserted else {
                return .failure(
                    ObpError(.entitlementAlreadyExists, "user_id(\(userId)) (\(request.roleName),\(request.bankId))"))
            }
            events.append(
                EntitlementGranted(
                    entitlementId: ids[index], userId: userId, bankId: request.bankId, roleName: request.roleName,
                    createdByProcess: "dauth"))
        }
        return .success(events)
    }

    /// The key `grantWithUser` matches held roles by.
    public static func heldKey(bankId: String, roleName: String) -> String { bankId + "\u{0}" + roleName }
}
