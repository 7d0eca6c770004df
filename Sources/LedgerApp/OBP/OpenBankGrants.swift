import Foundation
import LedgerCore
import LedgerStore

/// Open Bank Project's grants as use cases: banks and accounts, users, roles (entitlements),
/// views and account access, and DAuth's two "create user with …" operations. Each takes the
/// request's meaning and the caller, and answers domain values or throws `ObpError`.
package struct OpenBankGrants: Sendable {
    package let ledger: Ledger
    package let settings: ObpSettings

    package init(ledger: Ledger, settings: ObpSettings) {
        self.ledger = ledger
        self.settings = settings
    }

    func newId() -> String { Identifiers.make(now: ledger.clock()) }

    /// The write envelope: who acted, about which user or account.
    func context(_ caller: ObpCaller, _ source: RequestSource, _ action: EventMetadata.Action, subject: EventMetadata.Subject?)
        -> WriteContext
    {
        var metadata = source.metadata(
            actor: .init(id: caller.actorId, role: caller == .admin ? "admin" : "user"), action: action, subjectUserId: nil)
        metadata.subject = subject
        return WriteContext(metadata)
    }

    static func userSubject(_ userId: String) -> EventMetadata.Subject { .init(id: userId, idType: "obp-user") }
    static func accountSubject(_ bankId: String, _ accountId: String) -> EventMetadata.Subject {
        .init(id: "\(bankId)/\(accountId)", idType: "obp-account")
    }

    // MARK: Banks and accounts

    package func createBank(_ bank: ObpBank, caller: ObpCaller, source: RequestSource) async throws -> ObpBank {
        try await ledger.obpCreateBank(
            bank, caller: caller, grantId: newId(), context(caller, source, .create, subject: .init(id: bank.id, idType: "obp-bank")))
        guard let stored = try ledger.obpBank(id: bank.id) else { throw ObpError(.unknown) }
        return stored
    }

    /// OBP opens accounts with a zero balance only (OBP-30109).
    package func createAccount(_ account: ObpAccount, balanceAmount: String?, caller: ObpCaller, source: RequestSource)
        async throws -> ObpAccount
    {
        let balanceIsZero = balanceAmount.map { Decimal(string: $0) == 0 } ?? true
        try await ledger.obpCreateAccount(
            account, balanceIsZero: balanceIsZero, caller: caller, accessId: newId(),
            context(caller, source, .create, subject: Self.accountSubject(account.bankId, account.id)))
        guard let stored = try ledger.obpAccount(bankId: account.bankId, id: account.id) else { throw ObpError(.unknown) }
        return stored
    }

    func account(_ bankId: String, _ accountId: String) throws -> ObpAccount {
        guard try ledger.obpBank(id: bankId) != nil else { throw ObpError(.bankNotFound, "Current BankId is \(bankId)") }
        guard let account = try ledger.obpAccount(bankId: bankId, id: accountId) else { throw ObpError(.accountNotFound) }
        return account
    }

    // MARK: Users

    /// `POST /users`: only the admin credential creates users here (OBP leaves it open; we do not).
    package func createUser(provider: String?, username: String, email: String, caller: ObpCaller, source: RequestSource)
        async throws -> ObpUser
    {
        guard caller == .admin else { throw ObpError(.missingRoles, "the admin credential creates users") }
        let user = ObpUser(
            id: newId(), provider: provider ?? settings.localProvider, username: username, email: email, createdBy: "admin")
        try await ledger.obpCreateUser(user, context(caller, source, .create, subject: Self.userSubject(user.id)))
        return user
    }

    package struct CurrentUser: Sendable {
        package var user: ObpUser
        package var entitlements: [Entitlement]
        package var views: [AccountAccess]
    }

    /// `GET /users/current`. The admin credential is no user: it answers as the user `admin` of
    /// the local provider, holding no entitlements of its own (it holds every role implicitly).
    package func currentUser(_ caller: ObpCaller) throws -> CurrentUser {
        switch caller {
        case .admin:
            return CurrentUser(
                user: ObpUser(id: "admin", provider: settings.localProvider, username: "admin", createdBy: "admin"),
                entitlements: [], views: [])
        case .user(let user, let roles):
            return CurrentUser(
                user: user, entitlements: roles, views: try ledger.obpAccesses(userId: user.id, limit: ObpSettings.pageSizeMax))
        }
    }

    // MARK: Entitlements

    package func grantEntitlement(userId: String, _ request: EntitlementRequest, caller: ObpCaller, source: RequestSource)
        async throws -> Entitlement
    {
        guard try ledger.obpUser(id: userId) != nil else { throw ObpError(.userNotFound, "Current USER_ID(\(userId))") }
        let validated = try EntitlementDecider.validate(request).get()
        let id = newId()
        try await ledger.obpGrantEntitlement(
            validated, userId: userId, caller: caller, entitlementId: id,
            context(caller, source, .create, subject: Self.userSubject(userId)))
        guard let granted = try ledger.obpEntitlement(id: id) else { throw ObpError(.unknown) }
        return granted
    }

    /// Reading another user's roles needs `CanGetEntitlementsForAnyUserAtAnyBank`; one's own
    /// never does.
    func mayReadEntitlements(of userId: String, _ caller: ObpCaller) throws {
        guard caller.userId != userId, !caller.holds(ObpRoles.getEntitlementsForAnyUserAtAnyBank) else { return }
        throw ObpError(.missingRoles, ObpRoles.getEntitlementsForAnyUserAtAnyBank)
    }

    package func entitlements(userId: String, atMs: Int64?, caller: ObpCaller) throws -> [Entitlement] {
        try mayReadEntitlements(of: userId, caller)
        return try ledger.obpEntitlements(userId: userId, atMs: atMs)
    }

    package func revokeEntitlement(userId: String, entitlementId: String, caller: ObpCaller, source: RequestSource) async throws {
        try await ledger.obpRevokeEntitlement(
            id: entitlementId, userId: userId, caller: caller, context(caller, source, .delete, subject: Self.userSubject(userId)))
    }

    package func entitlementHistory(userId: String, afterSeq: Int64, limit: Int, caller: ObpCaller) throws -> [HistoryEntry] {
        try mayReadEntitlements(of: userId, caller)
        return try ledger.obpEntitlementHistory(userId: userId, afterSeq: afterSeq, limit: limit)
    }

    /// DAuth's "Create User with Roles" (`POST /user-entitlements`): OBP-20103 → OBP-10007 /
    /// OBP-30205 / OBP-30206 per role → the user, made if new → the roles, all or none.
    package func createUserWithRoles(
        provider: String, username: String, roles: [EntitlementRequest], caller: ObpCaller, source: RequestSource
    ) async throws -> (ObpUser, [Entitlement]) {
        try Self.checkDAuthProvider(provider)
        guard roles.count <= ObpSettings.rolesPerRequestMax else {
            throw ObpError(.invalidJson, "at most \(ObpSettings.rolesPerRequestMax) roles at once")
        }
        let validated = try roles.map { try EntitlementDecider.validate($0).get() }
        // OBP checks the banks before it gets or creates the user: a refusal here leaves nothing.
        for bankId in Set(validated.map(\.bankId)) where !bankId.isEmpty {
            guard try ledger.obpBank(id: bankId) != nil else {
                throw ObpError(.bankNotFound, "Current BANK_ID (\(bankId))", status: 400)
            }
        }
        let user = try await ledger.obpUser(
            provider: provider, username: username, orCreate: newId(), createdBy: "dauth",
            context(caller, source, .create, subject: .init(id: "\(provider)/\(username)", idType: "obp-user")))
        let ids = validated.map { _ in newId() }
        try await ledger.obpGrantWithUser(
            validated, userId: user.id, caller: caller, ids: ids, context(caller, source, .create, subject: Self.userSubject(user.id)))
        return (user, try ids.compactMap { try ledger.obpEntitlement(id: $0) })
    }

    /// OBP makes DAuth users only under providers named `dauth.<network>`.
    static func checkDAuthProvider(_ provider: String) throws {
        guard provider.hasPrefix("dauth."), provider.count > "dauth.".count else {
            throw ObpError(.invalidDAuthProvider, "The user.provider must be start with 'dauth.'")
        }
    }

    // MARK: Views

    /// The caller's views on the account; OBP-20017 when it has none (the admin needs none).
    func callerViews(_ caller: ObpCaller, _ bankId: String, _ accountId: String) throws -> [ObpView] {
        guard let userId = caller.userId else { return [] }
        let views = try ledger.obpViews(userId: userId, bankId: bankId, accountId: accountId)
        if views.isEmpty { throw ObpError(.noViewAccess) }
        return views
    }

    func require(_ permission: String, _ caller: ObpCaller, _ bankId: String, _ accountId: String) throws {
        let views = try callerViews(caller, bankId, accountId)
        guard caller == .admin || views.contains(where: { $0.allows(permission) }) else {
            throw ObpError(.viewDoesNotPermitAccess, "You need the `\(permission)` permission on any your views")
        }
    }

    /// Every view of the account: the system views, then its custom views.
    package func views(bankId: String, accountId: String, caller: ObpCaller) throws -> [ObpView] {
        _ = try account(bankId, accountId)
        try require("can_see_available_views_for_bank_account", caller, bankId, accountId)
        let system = ObpSystemViews.all.values.sorted { $0.id < $1.id }
        return system + (try ledger.obpCustomViews(bankId: bankId, accountId: accountId))
    }

    package func changeView(_ change: Ledger.ViewChange, bankId: String, accountId: String, caller: ObpCaller, source: RequestSource)
        async throws -> ObpView?
    {
        _ = try account(bankId, accountId)
        let action: EventMetadata.Action =
            switch change {
            case .create: .create
            case .update: .update
            case .delete: .delete
            }
        try await ledger.obpChangeView(
            change, bankId: bankId, accountId: accountId, caller: caller,
            context(caller, source, action, subject: Self.accountSubject(bankId, accountId)))
        switch change {
        case .create(let view), .update(let view): return try ledger.obpView(bankId: bankId, accountId: accountId, id: view.id)
        case .delete: return nil
        }
    }

    package func systemView(id: String, caller: ObpCaller) throws -> ObpView {
        guard caller.holds("CanGetSystemView") else { throw ObpError(.missingRoles, "CanGetSystemView") }
        guard let view = ObpSystemViews.view(id) else {
            throw ObpError(.systemViewNotFound, "Current ViewId is ViewId(\(id))")
        }
        return view
    }

    // MARK: Account access

    package func grantAccess(
        bankId: String, accountId: String, sourceViewId: String, _ request: AccountAccessRequest, caller: ObpCaller,
        source: RequestSource
    ) async throws -> ObpView {
        try await ledger.obpGrantAccess(
            request, bankId: bankId, accountId: accountId, sourceViewId: sourceViewId, caller: caller, accessId: newId(),
            context(caller, source, .create, subject: Self.accountSubject(bankId, accountId)))
        guard let viewId = request.viewId, let view = try ledger.obpView(bankId: bankId, accountId: accountId, id: viewId) else {
            throw ObpError(.unknown)
        }
        return view
    }

    package func revokeAccess(
        bankId: String, accountId: String, sourceViewId: String, _ request: AccountAccessRequest, caller: ObpCaller,
        source: RequestSource
    ) async throws {
        try await ledger.obpRevokeAccess(
            request, bankId: bankId, accountId: accountId, sourceViewId: sourceViewId, caller: caller,
            context(caller, source, .delete, subject: Self.accountSubject(bankId, accountId)))
    }

    /// DAuth's "Create User with Account Access", in OBP v5.1.0's order: the place and the
    /// caller's source view → OBP-20103 → may the source view grant the target → the user, made
    /// if new → the grant.
    package func createUserWithAccountAccess(
        bankId: String, accountId: String, sourceViewId: String, provider: String, username: String, viewId: String,
        caller: ObpCaller, source: RequestSource
    ) async throws -> (ObpUser, ObpView) {
        _ = try account(bankId, accountId)
        var sourceView: ObpView?
        if let callerId = caller.userId {
            sourceView = try ledger.obpViews(userId: callerId, bankId: bankId, accountId: accountId).first { $0.id == sourceViewId }
            guard sourceView != nil else { throw ObpError(.noViewAccess, "Current ViewId is \(sourceViewId)") }
        }
        try Self.checkDAuthProvider(provider)
        // OBP checks the grant before it makes the user; the writer checks it again with the rest.
        if let sourceView, !AccountAccessDecider.permits(sourceView, targetViewId: viewId, grant: true) {
            throw AccountAccessDecider.refusal(sourceViewId: sourceViewId, targetViewId: viewId, grant: true)
        }
        let user = try await ledger.obpUser(
            provider: provider, username: username, orCreate: newId(), createdBy: "dauth",
            context(caller, source, .create, subject: .init(id: "\(provider)/\(username)", idType: "obp-user")))
        let view = try await grantAccess(
            bankId: bankId, accountId: accountId, sourceViewId: sourceViewId,
            AccountAccessRequest(userId: user.id, viewId: viewId), caller: caller, source: source)
        return (user, view)
    }

    /// Who may list an account's grants: the admin, a holder of `CanSeeAccountAccessForAnyUser`,
    /// or a user whose view there has `can_see_views_with_permissions_for_all_users` (owner).
    func mayReadAccess(_ caller: ObpCaller, _ bankId: String, _ accountId: String) throws {
        _ = try account(bankId, accountId)
        if caller.holds(ObpRoles.seeAccountAccessForAnyUser) { return }
        try require(ObpViewPermissions.seeViewsWithPermissionsForAllUsers, caller, bankId, accountId)
    }

    package func accountAccess(bankId: String, accountId: String, atMs: Int64?, afterSeq: Int64, limit: Int, caller: ObpCaller)
        throws -> [(seq: Int64, access: AccountAccess)]
    {
        try mayReadAccess(caller, bankId, accountId)
        return try ledger.obpAccountAccess(bankId: bankId, accountId: accountId, atMs: atMs, afterSeq: afterSeq, limit: limit)
    }

    package func accessHistory(bankId: String, accountId: String, afterSeq: Int64, limit: Int, caller: ObpCaller) throws
        -> [HistoryEntry]
    {
        try mayReadAccess(caller, bankId, accountId)
        return try ledger.obpAccessHistory(bankId: bankId, accountId: accountId, afterSeq: afterSeq, limit: limit)
    }
}
