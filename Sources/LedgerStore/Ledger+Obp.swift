import Foundation
import GRDB
import LedgerCore

/// Open Bank Project's grants (issue 14). Every rule that depends on the ledger's state (does the
/// bank exist, may the caller grant this, is it held already) is decided in the writer over state
/// read in the same transaction, the caller's own roles included, so two requests cannot both
/// pass a check that only one of them should. Refusals are recorded and thrown as `ObpError`.
extension Ledger {
    func obpWrite<State: Sendable>(
        _ name: String, _ stream: String, load: @escaping @Sendable (Database) throws -> State,
        decide: @escaping @Sendable (State, Int64) -> Result<[any DomainEvent], ObpError>, _ context: WriteContext
    ) async throws {
        let outcome = try await write(
            name, stream, load: load, decide: { state, nowMs in decide(state, nowMs).mapError(\.rejection) }, context)
        if case .rejected(let rejection, _) = outcome { throw ObpError(rejection: rejection) ?? rejection }
    }

    /// The caller as it stands in this transaction: a user's live roles, read again.
    static func current(_ caller: ObpCaller, _ db: Database) throws -> ObpCaller {
        guard case .user(let user, _) = caller else { return caller }
        return .user(user, roles: try ObpProjection.entitlements(userId: user.id, atMs: nil, db))
    }

    // MARK: Banks and accounts

    public func obpCreateBank(_ bank: ObpBank, caller: ObpCaller, grantId: String, _ context: WriteContext) async throws {
        try await obpWrite(
            "CreateObpBank", ObpBankCreated.stream(bank.id),
            load: { db in (try Self.current(caller, db), try ObpProjection.bank(id: bank.id, db) != nil) },
            decide: { state, _ in
                let (caller, exists) = state
                guard caller.holds(ObpRoles.createBank) else { return .failure(ObpError(.missingRoles, ObpRoles.createBank)) }
                guard !exists else { return .failure(ObpError(.bankAlreadyExists)) }
                var events: [any DomainEvent] = [ObpBankCreated(bank: bank)]
                // OBP gives a bank's creator the right to grant roles at it.
                if let userId = caller.userId, !caller.holds(ObpRoles.createEntitlementAtOneBank, bankId: bank.id) {
                    events.append(
                        EntitlementGranted(
                            entitlementId: grantId, userId: userId, bankId: bank.id, roleName: ObpRoles.createEntitlementAtOneBank))
                }
                return .success(events)
            }, context)
    }

    public func obpBank(id: String) throws -> ObpBank? {
        try readOnCallersThread { db in try ObpProjection.bank(id: id, db) }
    }

    /// A new account, and its holder's `owner` access in the same command.
    public func obpCreateAccount(
        _ account: ObpAccount, balanceIsZero: Bool, caller: ObpCaller, accessId: String, _ context: WriteContext
    ) async throws {
        try await obpWrite(
            "CreateObpAccount", ObpAccountCreated.stream(bankId: account.bankId, accountId: account.id),
            load: { db in
                (
                    try Self.current(caller, db), try ObpProjection.bank(id: account.bankId, db) != nil,
                    try ObpProjection.account(bankId: account.bankId, id: account.id, db) != nil,
                    try ObpProjection.user(id: account.holderUserId, db) != nil
                )
            },
            decide: { state, _ in
                let (caller, bankExists, accountExists, holderExists) = state
                guard !accountExists else { return .failure(ObpError(.accountAlreadyExists)) }
                guard holderExists else {
                    return .failure(ObpError(.userNotFound, "Current USER_ID(\(account.holderUserId))"))
                }
                // Issue 14: accounts are the operator's to open (OBP's own check asks the role too).
                guard caller.holds(ObpRoles.createAccount, bankId: account.bankId) else {
                    return .failure(ObpError(.missingRoles, "\(ObpRoles.createAccount) at Bank(\(account.bankId))"))
                }
                guard balanceIsZero else { return .failure(ObpError(.initialBalanceMustBeZero)) }
                guard bankExists else { return .failure(ObpError(.bankNotFound, "Current BankId is \(account.bankId)")) }
                return .success([
                    ObpAccountCreated(account: account),
                    AccountAccessGranted(
                        accessId: accessId, bankId: account.bankId, accountId: account.id, viewId: ObpSystemViews.ownerId,
                        userId: account.holderUserId),
                ])
            }, context)
    }

    public func obpAccount(bankId: String, id: String) throws -> ObpAccount? {
        try readOnCallersThread { db in try ObpProjection.account(bankId: bankId, id: id, db) }
    }

    // MARK: Users and entitlements

    /// A user by `(provider, username)`, created when there is none (DAuth, the operator's login).
    public func obpUser(provider: String, username: String, orCreate newId: String, createdBy: String, _ context: WriteContext)
        async throws -> ObpUser
    {
        if let user = try obpUser(provider: provider, username: username) { return user }
        let user = ObpUser(id: newId, provider: provider, username: username, createdBy: createdBy)
        try await obpWrite(
            "CreateObpUser", ObpUserCreated.stream(newId),
            load: { db in try ObpProjection.user(provider: provider, username: username, db) },
            decide: { existing, _ in .success(existing == nil ? [ObpUserCreated(user: user)] : []) }, context)
        guard let stored = try obpUser(provider: provider, username: username) else { throw ObpError(.unknown) }
        return stored
    }

    /// `POST /users`: a new user; `(provider, username)` taken answers OBP's 409.
    public func obpCreateUser(_ user: ObpUser, _ context: WriteContext) async throws {
        try await obpWrite(
            "CreateObpUser", ObpUserCreated.stream(user.id),
            load: { db in try ObpProjection.user(provider: user.provider, username: user.username, db) },
            decide: { existing, _ in
                existing == nil ? .success([ObpUserCreated(user: user)]) : .failure(ObpError(.userAlreadyExists))
            }, context)
    }

    public func obpUser(id: String) throws -> ObpUser? {
        try readOnCallersThread { db in try ObpProjection.user(id: id, db) }
    }

    public func obpUser(provider: String, username: String) throws -> ObpUser? {
        try readOnCallersThread { db in try ObpProjection.user(provider: provider, username: username, db) }
    }

    public func obpGrantEntitlement(
        _ request: EntitlementDecider.Validated, userId: String, caller: ObpCaller, entitlementId: String,
        _ context: WriteContext
    ) async throws {
        try await obpWrite(
            "GrantEntitlement", ObpUserCreated.stream(userId),
            load: { db in
                EntitlementGrantState(
                    caller: try Self.current(caller, db),
                    bankExists: try request.bankId.isEmpty || ObpProjection.bank(id: request.bankId, db) != nil,
                    targetUserExists: try ObpProjection.user(id: userId, db) != nil,
                    alreadyHeld: try ObpProjection.liveEntitlement(
                        userId: userId, bankId: request.bankId, roleName: request.roleName, db) != nil)
            },
            decide: { state, _ in
                EntitlementDecider.grant(request, userId: userId, state: state, entitlementId: entitlementId)
                    .map { $0 as [any DomainEvent] }
            }, context)
    }

    public func obpRevokeEntitlement(id: String, userId: String, caller: ObpCaller, _ context: WriteContext) async throws {
        try await obpWrite(
            "RevokeEntitlement", ObpUserCreated.stream(userId),
            load: { db in (try Self.current(caller, db), try ObpProjection.entitlement(id: id, db)) },
            decide: { state, _ in
                EntitlementDecider.revoke(entitlementId: id, userId: userId, current: state.1, caller: state.0)
                    .map { $0 as [any DomainEvent] }
            }, context)
    }

    /// Roles granted with a DAuth user (`POST /user-entitlements`): all or none.
    public func obpGrantWithUser(
        _ requests: [EntitlementDecider.Validated], userId: String, caller: ObpCaller, ids: [String], _ context: WriteContext
    ) async throws {
        let bankIds = Set(requests.map(\.bankId).filter { !$0.isEmpty })
        try await obpWrite(
            "GrantEntitlementsWithUser", ObpUserCreated.stream(userId),
            load: { db in
                (
                    try Self.current(caller, db), Set(try bankIds.filter { try ObpProjection.bank(id: $0, db) != nil }),
                    Set(
                        try ObpProjection.entitlements(userId: userId, atMs: nil, db).map {
                            EntitlementDecider.heldKey(bankId: $0.bankId, roleName: $0.roleName)
                        })
                )
            },
            decide: { state, _ in
                EntitlementDecider.grantWithUser(
                    requests, userId: userId, caller: state.0, banksExisting: state.1, held: state.2, ids: ids
                ).map { $0 as [any DomainEvent] }
            }, context)
    }

    public func obpEntitlement(id: String) throws -> Entitlement? {
        try readOnCallersThread { db in try ObpProjection.entitlement(id: id, db) }
    }

    /// The user's roles now, or at `atMs`.
    public func obpEntitlements(userId: String, atMs: Int64? = nil) throws -> [Entitlement] {
        try readOnCallersThread { db in try ObpProjection.entitlements(userId: userId, atMs: atMs, db) }
    }

    public func obpEntitlementHistory(userId: String, afterSeq: Int64, limit: Int) throws -> [HistoryEntry] {
        // Paged by seq: not past a batch still syncing.
        try readOnCallersThread { db in
            readable(
                try ObpProjection.entitlementHistory(userId: userId, afterSeq: afterSeq, limit: limit, db), seq: \.seq,
                readIn: db)
        }
    }

    // MARK: Views and account access

    /// Everything the account-access rules read, in one transaction.
    static func accessState(
        caller: ObpCaller, bankId: String, accountId: String, sourceViewId: String, userId: String?, viewId: String?,
        _ db: Database
    ) throws -> AccountAccessState {
        let caller = try current(caller, db)
        let sourceView = try caller.userId.flatMap { callerId -> ObpView? in
            let held = try ObpProjection.accesses(userId: callerId, bankId: bankId, accountId: accountId, db)
            guard held.contains(where: { $0.viewId == sourceViewId }) else { return nil }
            return try ObpProjection.view(bankId: bankId, accountId: accountId, id: sourceViewId, db)
        }
        let targetView = try viewId.flatMap { try ObpProjection.view(bankId: bankId, accountId: accountId, id: $0, db) }
        let existing = try userId.flatMap { userId in
            try ObpProjection.accesses(userId: userId, bankId: bankId, accountId: accountId, db).first { $0.viewId == viewId }
        }
        return AccountAccessState(
            caller: caller, bankExists: try ObpProjection.bank(id: bankId, db) != nil,
            account: try ObpProjection.account(bankId: bankId, id: accountId, db), sourceView: sourceView,
            targetView: targetView, targetUserExists: try userId.map { try ObpProjection.user(id: $0, db) != nil } ?? false,
            existing: existing)
    }

    public func obpGrantAccess(
        _ request: AccountAccessRequest, bankId: String, accountId: String, sourceViewId: String, caller: ObpCaller,
        accessId: String, _ context: WriteContext
    ) async throws {
        try await obpWrite(
            "GrantAccountAccess", ObpAccountCreated.stream(bankId: bankId, accountId: accountId),
            load: { db in
                try Self.accessState(
                    caller: caller, bankId: bankId, accountId: accountId, sourceViewId: sourceViewId, userId: request.userId,
                    viewId: request.viewId, db)
            },
            decide: { state, _ in
                AccountAccessDecider.grant(request, sourceViewId: sourceViewId, state: state, accessId: accessId)
                    .map { $0 as [any DomainEvent] }
            }, context)
    }

    public func obpRevokeAccess(
        _ request: AccountAccessRequest, bankId: String, accountId: String, sourceViewId: String, caller: ObpCaller,
        _ context: WriteContext
    ) async throws {
        try await obpWrite(
            "RevokeAccountAccess", ObpAccountCreated.stream(bankId: bankId, accountId: accountId),
            load: { db in
                try Self.accessState(
                    caller: caller, bankId: bankId, accountId: accountId, sourceViewId: sourceViewId, userId: request.userId,
                    viewId: request.viewId, db)
            },
            decide: { state, _ in
                AccountAccessDecider.revoke(request, sourceViewId: sourceViewId, state: state).map { $0 as [any DomainEvent] }
            }, context)
    }

    /// The views the caller can use on the account (all of them for the admin credential is not
    /// meant here: the admin has no views, it skips their rules).
    static func callerViews(_ caller: ObpCaller, bankId: String, accountId: String, _ db: Database) throws -> [ObpView] {
        guard let userId = caller.userId else { return [] }
        return try ObpProjection.viewsOf(userId: userId, bankId: bankId, accountId: accountId, db)
    }

    public enum ViewChange: Sendable {
        case create(ObpView)
        case update(ObpView)
        case delete(viewId: String)
    }

    public func obpChangeView(_ change: ViewChange, bankId: String, accountId: String, caller: ObpCaller, _ context: WriteContext)
        async throws
    {
        let viewId: String =
            switch change {
            case .create(let view), .update(let view): view.id
            case .delete(let id): id
            }
        try await obpWrite(
            "ChangeObpView", ObpAccountCreated.stream(bankId: bankId, accountId: accountId),
            load: { db in
                (
                    try ObpProjection.account(bankId: bankId, id: accountId, db) != nil,
                    try Self.callerViews(caller, bankId: bankId, accountId: accountId, db),
                    try ObpView.isCustomId(viewId) ? ObpProjection.view(bankId: bankId, accountId: accountId, id: viewId, db) : nil,
                    try !ObpProjection.accesses(bankId: bankId, accountId: accountId, viewId: viewId, db).isEmpty,
                    try ObpProjection.customViewCount(bankId: bankId, accountId: accountId, db)
                )
            },
            decide: { state, _ in
                let (accountExists, callerViews, existing, inUse, customViewCount) = state
                guard accountExists else { return .failure(ObpError(.accountNotFound)) }
                switch change {
                case .create(let view):
                    return ObpViewDecider.create(
                        view, existing: existing, callerViews: callerViews, caller: caller, customViewCount: customViewCount)
                        .map { $0 as [any DomainEvent] }
                case .update(let view):
                    return ObpViewDecider.update(view, existing: existing, callerViews: callerViews, caller: caller)
                        .map { $0 as [any DomainEvent] }
                case .delete(let id):
                    return ObpViewDecider.delete(
                        bankId: bankId, accountId: accountId, viewId: id, existing: existing, inUse: inUse,
                        callerViews: callerViews, caller: caller
                    ).map { $0 as [any DomainEvent] }
                }
            }, context)
    }

    public func obpView(bankId: String, accountId: String, id: String) throws -> ObpView? {
        try readOnCallersThread { db in try ObpProjection.view(bankId: bankId, accountId: accountId, id: id, db) }
    }

    public func obpCustomViews(bankId: String, accountId: String) throws -> [ObpView] {
        try readOnCallersThread { db in try ObpProjection.customViews(bankId: bankId, accountId: accountId, db) }
    }

    /// The views a user has on the account, now or at `atMs`.
    public func obpViews(userId: String, bankId: String, accountId: String, atMs: Int64? = nil) throws -> [ObpView] {
        try readOnCallersThread { db in
            try ObpProjection.viewsOf(userId: userId, bankId: bankId, accountId: accountId, atMs: atMs, db)
        }
    }

    public func obpAccountAccess(bankId: String, accountId: String, atMs: Int64?, afterSeq: Int64, limit: Int) throws
        -> [(seq: Int64, access: AccountAccess)]
    {
        // Paged by seq (`next_after_seq`): not past a batch still syncing.
        try readOnCallersThread { db in
            readable(
                try ObpProjection.accountAccess(
                    bankId: bankId, accountId: accountId, atMs: atMs, afterSeq: afterSeq, limit: limit, db),
                seq: \.seq, readIn: db)
        }
    }

    public func obpAccessHistory(bankId: String, accountId: String, afterSeq: Int64, limit: Int) throws -> [HistoryEntry] {
        try readOnCallersThread { db in
            // Paged by seq: not past a batch still syncing.
            readable(
                try ObpProjection.accessHistory(bankId: bankId, accountId: accountId, afterSeq: afterSeq, limit: limit, db),
                seq: \.seq, readIn: db)
        }
    }

    /// The user's live accesses across accounts, for `/users/current` (at most `limit`).
    public func obpAccesses(userId: String, limit: Int) throws -> [AccountAccess] {
        try readOnCallersThread { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(ObpProjection.accessColumns) FROM obp_account_access WHERE user_id = ? AND revoked_seq IS NULL
                    ORDER BY bank_id, account_id, view_id LIMIT ?
                    """,
                arguments: [userId, limit]
            ).map(ObpProjection.access)
        }
    }

    // MARK: Decisions for resource servers

    /// `POST /authz/check`: decided over the live grants in the writer and recorded with its
    /// answer, so the trail shows every check, allowed or not.
    public func obpCheck(_ check: ObpCheck, _ context: WriteContext) async throws -> ObpCheckAnswer {
        let answer = AnswerBox<ObpCheckAnswer>()
        let outcome = try await write(
            "CheckAuthorization", AuthorizationChecked.stream,
            load: { db -> (Bool, Bool, [ObpView], [Entitlement]) in
                let userExists = try ObpProjection.user(id: check.userId, db) != nil
                guard userExists else { return (false, false, [], []) }
                if let bankId = check.bankId, let accountId = check.accountId, check.permission != nil {
                    let accountExists = try ObpProjection.account(bankId: bankId, id: accountId, db) != nil
                    return (
                        true, accountExists,
                        try ObpProjection.viewsOf(userId: check.userId, bankId: bankId, accountId: accountId, db), []
                    )
                }
                return (true, false, [], try ObpProjection.entitlements(userId: check.userId, atMs: nil, db))
            },
            decide: { state, _ in
                let decided = AuthorizationDecider.decide(
                    check, userExists: state.0, accountExists: state.1, views: state.2, roles: state.3)
                answer.set(decided)
                return .success([AuthorizationChecked(check: check, answer: decided)])
            }, context)
        if case .rejected(let rejection, _) = outcome { throw rejection }
        guard let decided = answer.value else { throw ObpError(.unknown) }
        return decided
    }

    /// DAuth refusals from one address, aggregated by the caller (at most one a minute).
    public func obpRecordDAuthRefusal(ip: String, reason: String, refusals: Int, _ context: WriteContext) async throws {
        _ = try await write(
            "RecordDAuthRefusal", DAuthRefused.stream, load: { _ in () },
            decide: { _, _ in .success([DAuthRefused(ip: ip, reason: reason, refusals: refusals)]) }, context)
    }
}
