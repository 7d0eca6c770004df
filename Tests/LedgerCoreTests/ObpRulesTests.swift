import Testing

@testable import LedgerCore

/// Open Bank Project's grant rules as precedence tables: one row per error code, in the order the
/// deciders check them. Each row keeps every earlier rule satisfied and breaks its own (and, where
/// it can, every later one too), so only the first failing check may answer.
@Suite struct ObpRulesTests {
    static let alice = ObpUser(id: "u-alice", provider: "grantledger", username: "alice", createdBy: "admin")
    static let bob = ObpUser(id: "u-bob", provider: "grantledger", username: "bob", createdBy: "admin")

    static func role(_ name: String, bank: String = "", user: String = "u-alice", id: String = "e-1") -> Entitlement {
        Entitlement(id: id, userId: user, bankId: bank, roleName: name, grantedAtMs: 0, grantedBy: "admin")
    }

    static func caller(_ roles: [Entitlement]) -> ObpCaller { .user(alice, roles: roles) }

    // MARK: Entitlements

    struct GrantRow: Sendable, CustomTestStringConvertible {
        var name: String
        var request: EntitlementRequest
        var state: EntitlementGrantState
        /// The OBP code and status expected, or nil for a grant.
        var expected: (code: String, status: Int)?
        var testDescription: String { name }
    }

    static let canGrantAnywhere = caller([role(ObpRoles.createEntitlementAtAnyBank)])
    static func state(
        caller: ObpCaller = canGrantAnywhere, bankExists: Bool = true, userExists: Bool = true, held: Bool = false
    ) -> EntitlementGrantState {
        EntitlementGrantState(caller: caller, bankExists: bankExists, targetUserExists: userExists, alreadyHeld: held)
    }

    static let bankRole = EntitlementRequest(bankId: "gh.29.uk", roleName: "CanCreateAccount")
    static let systemRole = EntitlementRequest(bankId: "", roleName: "CanGetAnyUser")

    /// The order of issue 14 (OBP's, with OBP's own first check of the target user).
    static let grantRows: [GrantRow] = [
        GrantRow(
            name: "OBP-20005 no such user, before anything else",
            request: EntitlementRequest(bankId: nil, roleName: "CanFoo"),
            state: state(caller: caller([]), bankExists: false, userExists: false, held: true), expected: ("OBP-20005", 404)),
        GrantRow(
            name: "OBP-10001 a field missing, before the role is looked at",
            request: EntitlementRequest(bankId: nil, roleName: "CanFoo"),
            state: state(caller: caller([]), bankExists: false, held: true), expected: ("OBP-10001", 400)),
        GrantRow(
            name: "OBP-10007 an unknown role, before its level",
            request: EntitlementRequest(bankId: "", roleName: "CanFoo"),
            state: state(caller: caller([]), bankExists: false, held: true), expected: ("OBP-10007", 400)),
        GrantRow(
            name: "OBP-30205 a bank role without a bank id",
            request: EntitlementRequest(bankId: "", roleName: "CanCreateAccount"),
            state: state(caller: caller([]), bankExists: false, held: true), expected: ("OBP-30205", 400)),
        GrantRow(
            name: "OBP-30206 a system role with a bank id",
            request: EntitlementRequest(bankId: "gh.29.uk", roleName: "CanGetAnyUser"),
            state: state(caller: caller([]), bankExists: false, held: true), expected: ("OBP-30206", 400)),
        GrantRow(
            name: "OBP-30001 a bank role at a bank that does not exist (400, as OBP answers it here)",
            request: bankRole, state: state(caller: caller([]), bankExists: false, held: true), expected: ("OBP-30001", 400)),
        GrantRow(
            name: "OBP-20006 a caller without a role to grant with",
            request: bankRole, state: state(caller: caller([]), held: true), expected: ("OBP-20006", 403)),
        GrantRow(
            name: "OBP-20006 CanCreateEntitlementAtOneBank at another bank",
            request: bankRole,
            state: state(caller: caller([role(ObpRoles.createEntitlementAtOneBank, bank: "other.bank")]), held: true),
            expected: ("OBP-20006", 403)),
        GrantRow(
            name: "OBP-20006 CanCreateEntitlementAtOneBank does not grant system roles",
            request: systemRole,
            state: state(caller: caller([role(ObpRoles.createEntitlementAtOneBank, bank: "gh.29.uk")]), held: true),
            expected: ("OBP-20006", 403)),
        GrantRow(
            name: "OBP-30216 held already", request: bankRole, state: state(held: true), expected: ("OBP-30216", 400)),
        GrantRow(name: "granted by CanCreateEntitlementAtAnyBank", request: bankRole, state: state(), expected: nil),
        GrantRow(
            name: "granted by CanCreateEntitlementAtOneBank at that bank", request: bankRole,
            state: state(caller: caller([role(ObpRoles.createEntitlementAtOneBank, bank: "gh.29.uk")])), expected: nil),
        GrantRow(name: "granted by the admin credential", request: systemRole, state: state(caller: .admin), expected: nil),
    ]

    @Test(arguments: grantRows)
    func theFirstFailingEntitlementRuleAnswers(_ row: GrantRow) {
        let result = EntitlementDecider.decide(row.request, userId: "u-bob", state: row.state, entitlementId: "e-new")
        switch (result, row.expected) {
        case (.failure(let error), let expected?):
            #expect(error.code.rawValue == expected.code)
            #expect(error.status == expected.status)
            #expect(error.message.hasPrefix(expected.code + ":"))
        case (.success(let events), nil):
            #expect(
                events == [
                    EntitlementGranted(
                        entitlementId: "e-new", userId: "u-bob", bankId: row.request.bankId ?? "",
                        roleName: row.request.roleName ?? "")
                ])
        default:
            Issue.record("\(row.name): got \(result)")
        }
    }

    /// Across every combination of the state, a refusal is always the first rule broken and a
    /// grant happens only when every rule holds.
    @Test func aGrantHappensOnlyWhenEveryRuleHoldsWhateverTheState() {
        let callers: [ObpCaller] = [
            .admin, Self.caller([]), Self.caller([Self.role(ObpRoles.createEntitlementAtOneBank, bank: "gh.29.uk")]),
            Self.canGrantAnywhere,
        ]
        let requests = [Self.bankRole, Self.systemRole, EntitlementRequest(bankId: "", roleName: "CanFoo"),
                        EntitlementRequest(bankId: nil, roleName: "CanGetAnyUser")]
        for caller in callers {
            for request in requests {
                for bankExists in [false, true] {
                    for userExists in [false, true] {
                        for held in [false, true] {
                            let state = Self.state(caller: caller, bankExists: bankExists, userExists: userExists, held: held)
                            let result = EntitlementDecider.decide(request, userId: "u-bob", state: state, entitlementId: "e")
                            let valid = request.bankId != nil && request.roleName.flatMap(ObpRoles.requiresBankId) != nil
                            let levelRight = valid && ObpRoles.requiresBankId(request.roleName!)! == !(request.bankId!.isEmpty)
                            let allowed =
                                userExists && levelRight && (request.bankId!.isEmpty || bankExists)
                                && EntitlementDecider.mayGrant(caller, bankId: request.bankId ?? "") && !held
                            if case .success = result { #expect(allowed) } else { #expect(!allowed) }
                        }
                    }
                }
            }
        }
    }

    struct RevokeRow: Sendable, CustomTestStringConvertible {
        var name: String
        var caller: ObpCaller
        var current: Entitlement?
        var expected: String?
        var testDescription: String { name }
    }

    static let bobsBankRole = role("CanCreateAccount", bank: "gh.29.uk", user: "u-bob", id: "e-b")

    static let revokeRows: [RevokeRow] = [
        RevokeRow(name: "OBP-20006 no role to delete with", caller: caller([]), current: nil, expected: "OBP-20006"),
        RevokeRow(
            name: "OBP-30212 no such entitlement", caller: caller([role(ObpRoles.deleteEntitlementAtAnyBank)]), current: nil,
            expected: "OBP-30212"),
        RevokeRow(
            name: "OBP-30212 revoked already", caller: .admin,
            current: {
                var revoked = bobsBankRole
                revoked.revokedAtMs = 5
                return revoked
            }(), expected: "OBP-30212"),
        RevokeRow(
            name: "OBP-20006 CanDeleteEntitlementAtOneBank at another bank",
            caller: caller([role(ObpRoles.deleteEntitlementAtOneBank, bank: "other.bank")]), current: bobsBankRole,
            expected: "OBP-20006"),
        RevokeRow(
            name: "OBP-30213 another user's entitlement", caller: .admin,
            current: role("CanGetAnyUser", user: "u-carol", id: "e-b"), expected: "OBP-30213"),
        RevokeRow(
            name: "revoked by CanDeleteEntitlementAtOneBank at its bank",
            caller: caller([role(ObpRoles.deleteEntitlementAtOneBank, bank: "gh.29.uk")]), current: bobsBankRole, expected: nil),
    ]

    @Test(arguments: revokeRows)
    func theFirstFailingRevocationRuleAnswers(_ row: RevokeRow) {
        let result = EntitlementDecider.revoke(entitlementId: "e-b", userId: "u-bob", current: row.current, caller: row.caller)
        switch result {
        case .failure(let error): #expect(error.code.rawValue == row.expected)
        case .success(let events):
            #expect(row.expected == nil)
            #expect(events.map(\.entitlementId) == ["e-b"])
        }
    }

    @Test func rolesGrantedWithAUserAreTheCreatorsOwnOrRefusedAllTogether() {
        let mine = EntitlementDecider.Validated(bankId: "", roleName: "CanGetAnyUser")
        let notMine = EntitlementDecider.Validated(bankId: "", roleName: "CanReadMetrics")
        let creator = Self.caller([Self.role("CanGetAnyUser")])
        let refused = EntitlementDecider.grantWithUser(
            [mine, notMine], userId: "u-new", caller: creator, banksExisting: [], held: [], ids: ["a", "b"])
        #expect((try? refused.get()) == nil)
        if case .failure(let error) = refused { #expect(error.code == .entitlementCannotBeGranted) }
        let granted = EntitlementDecider.grantWithUser(
            [mine], userId: "u-new", caller: creator, banksExisting: [], held: [], ids: ["a"])
        #expect((try? granted.get())?.map(\.roleName) == ["CanGetAnyUser"])
        let duplicate = EntitlementDecider.grantWithUser(
            [mine], userId: "u-new", caller: .admin, banksExisting: [],
            held: [EntitlementDecider.heldKey(bankId: "", roleName: "CanGetAnyUser")], ids: ["a"])
        if case .failure(let error) = duplicate { #expect(error.code == .entitlementAlreadyExists) } else {
            Issue.record("a held role was granted again")
        }
    }

    // MARK: Views and account access

    struct AccessRow: Sendable, CustomTestStringConvertible {
        var name: String
        var request: AccountAccessRequest
        var state: AccountAccessState
        var expected: (code: String, status: Int)?
        var testDescription: String { name }
    }

    static let account = ObpAccount(
        bankId: "gh.29.uk", id: "acc", holderUserId: "u-alice", label: "", productCode: "", currency: "EUR")
    static let owner = ObpSystemViews.view("owner")!
    static let auditor = ObpSystemViews.view("auditor")!
    static let team = ObpView(
        id: "_team", bankId: "gh.29.uk", accountId: "acc", shortName: "_team", description: "", isSystem: false,
        permissions: ["can_see_transaction_amount"])
    static let manager = ObpSystemViews.view("ManageCustomViews")!

    static func accessState(
        bank: Bool = true, account: ObpAccount? = account, source: ObpView? = owner, target: ObpView? = auditor,
        user: Bool = true, existing: AccountAccess? = nil, caller: ObpCaller = caller([])
    ) -> AccountAccessState {
        AccountAccessState(
            caller: caller, bankExists: bank, account: account, sourceView: source, targetView: target, targetUserExists: user,
            existing: existing)
    }

    static let toAuditor = AccountAccessRequest(userId: "u-bob", viewId: "auditor")
    static let toTeam = AccountAccessRequest(userId: "u-bob", viewId: "_team")

    /// The view-granting rules in OBP v5.1.0's order (`grantUserAccessToViewById`).
    static let accessRows: [AccessRow] = [
        AccessRow(
            name: "OBP-30001 no such bank", request: AccountAccessRequest(userId: nil, viewId: nil),
            state: accessState(bank: false, account: nil, source: nil, target: nil, user: false), expected: ("OBP-30001", 404)),
        AccessRow(
            name: "OBP-30018 no such account", request: AccountAccessRequest(userId: nil, viewId: nil),
            state: accessState(account: nil, source: nil, target: nil, user: false), expected: ("OBP-30018", 404)),
        AccessRow(
            name: "OBP-20017 the caller has no access to the source view", request: AccountAccessRequest(userId: nil, viewId: nil),
            state: accessState(source: nil, target: nil, user: false), expected: ("OBP-20017", 403)),
        AccessRow(
            name: "OBP-10001 the body lacks user_id or view_id", request: AccountAccessRequest(userId: "u-bob", viewId: nil),
            state: accessState(target: nil, user: false), expected: ("OBP-10001", 400)),
        AccessRow(
            name: "OBP-20084 a system view the source view may not grant", request: toAuditor,
            state: accessState(source: auditor, target: nil, user: false), expected: ("OBP-20084", 403)),
        AccessRow(
            name: "OBP-20085 a custom view, and can_grant_access_to_custom_views is false", request: toTeam,
            state: accessState(target: nil, user: false), expected: ("OBP-20085", 403)),
        AccessRow(
            name: "OBP-20005 no such user", request: toAuditor, state: accessState(target: nil, user: false),
            expected: ("OBP-20005", 404)),
        AccessRow(
            name: "OBP-30252 no such system view", request: AccountAccessRequest(userId: "u-bob", viewId: "ReadBalances"),
            state: accessState(target: nil), expected: ("OBP-30252", 400)),
        AccessRow(
            name: "OBP-30005 no such custom view", request: toTeam, state: accessState(source: manager, target: nil),
            expected: ("OBP-30005", 400)),
        AccessRow(name: "granted: owner hands out auditor", request: toAuditor, state: accessState(), expected: nil),
        AccessRow(
            name: "granted: ManageCustomViews hands out a custom view", request: toTeam,
            state: accessState(source: manager, target: team), expected: nil),
        AccessRow(
            name: "granted: the admin credential needs no source view", request: toTeam,
            state: accessState(source: nil, target: team, caller: .admin), expected: nil),
    ]

    @Test(arguments: accessRows)
    func theFirstFailingViewGrantingRuleAnswers(_ row: AccessRow) {
        let result = AccountAccessDecider.grant(row.request, sourceViewId: "owner", state: row.state, accessId: "a-new")
        switch (result, row.expected) {
        case (.failure(let error), let expected?):
            #expect(error.code.rawValue == expected.code)
            #expect(error.status == expected.status)
        case (.success(let events), nil):
            #expect(events.map(\.viewId) == [row.request.viewId ?? ""])
            #expect(events.map(\.userId) == ["u-bob"])
        default:
            Issue.record("\(row.name): got \(result)")
        }
    }

    @Test func revokingFollowsTheRevokeListsAndNeverTakesTheHoldersOwnerAccess() {
        let holdersOwner = AccountAccess(
            id: "a-1", bankId: "gh.29.uk", accountId: "acc", viewId: "owner", userId: "u-alice", grantedAtMs: 0,
            grantedBy: "admin")
        let ownerOfHolder = AccountAccessDecider.revoke(
            AccountAccessRequest(userId: "u-alice", viewId: "owner"), sourceViewId: "owner",
            state: Self.accessState(target: Self.owner, existing: holdersOwner))
        if case .failure(let error) = ownerOfHolder { #expect(error.code == .cannotRevokeAccess) } else {
            Issue.record("the holder's owner access was revoked")
        }
        let byAuditor = AccountAccessDecider.revoke(
            Self.toAuditor, sourceViewId: "auditor", state: Self.accessState(source: Self.auditor))
        if case .failure(let error) = byAuditor { #expect(error.code == .cannotRevokeSystemView) } else {
            Issue.record("auditor revoked a view it may not")
        }
        let nothingHeld = AccountAccessDecider.revoke(Self.toAuditor, sourceViewId: "owner", state: Self.accessState())
        if case .failure(let error) = nothingHeld { #expect(error.code == .cannotFindAccountAccess) } else {
            Issue.record("revoked what was never granted")
        }
    }

    @Test func customViewsCarryNoSystemOnlyPermissionsAndInUseViewsAreNotDeleted() {
        let asked = ObpView(
            id: "_x", bankId: "b", accountId: "a", shortName: "_x", description: "", isSystem: false,
            permissions: ["can_see_transaction_amount", "can_grant_access_to_custom_views"], canGrantAccessToViews: ["owner"])
        let created = try? ObpViewDecider.create(asked, existing: nil, callerViews: [], caller: .admin).get()
        #expect(created?.first?.view.permissions == ["can_see_transaction_amount"])
        #expect(created?.first?.view.canGrantAccessToViews == [])
        let byOwner = ObpViewDecider.create(asked, existing: nil, callerViews: [Self.owner], caller: Self.caller([]))
        if case .failure(let error) = byOwner { #expect(error.code == .viewDoesNotPermitAccess) } else {
            Issue.record("owner created a custom view without can_create_custom_view")
        }
        let inUse = ObpViewDecider.delete(
            bankId: "b", accountId: "a", viewId: "_x", existing: asked, inUse: true, callerViews: [], caller: .admin)
        if case .failure(let error) = inUse { #expect(error.code == .deleteCustomViewFailed) } else {
            Issue.record("a view in use was deleted")
        }
        let system = ObpViewDecider.update(Self.owner, existing: Self.owner, callerViews: [], caller: .admin)
        if case .failure(let error) = system { #expect(error.code == .systemViewsCannotBeModified) } else {
            Issue.record("a system view was changed")
        }
    }

    // MARK: The decision endpoint and the error shape

    @Test func aPermissionIsAllowedThroughAViewThatGrantsItAndARoleThroughAnEntitlement() {
        let check = ObpCheck(userId: "u-bob", bankId: "b", accountId: "a", permission: "can_see_transaction_amount")
        #expect(AuthorizationDecider.decide(check, userExists: true, accountExists: true, views: [Self.auditor], roles: []).viewId == "auditor")
        let denied = AuthorizationDecider.decide(
            ObpCheck(userId: "u-bob", bankId: "b", accountId: "a", permission: "can_create_direct_debit"), userExists: true,
            accountExists: true, views: [Self.auditor], roles: [])
        #expect(!denied.allowed)
        let byRole = AuthorizationDecider.decide(
            ObpCheck(userId: "u-bob", role: "CanGetAnyUser"), userExists: true, accountExists: false, views: [],
            roles: [Self.role("CanGetAnyUser", user: "u-bob", id: "e-9")])
        #expect(byRole == ObpCheckAnswer(allowed: true, reason: "the user holds CanGetAnyUser", entitlementId: "e-9"))
        #expect(!AuthorizationDecider.decide(check, userExists: false, accountExists: true, views: [Self.owner], roles: []).allowed)
        #expect(AuthorizationDecider.validate(ObpCheck(userId: "u", permission: "can_fly"))?.code == .invalidValue)
        #expect(AuthorizationDecider.validate(ObpCheck(userId: "u", role: "CanCreateAccount"))?.code == .entitlementIsBankRole)
        #expect(AuthorizationDecider.validate(ObpCheck(userId: "u"))?.code == .invalidJson)
    }

    @Test(arguments: [
        ObpError(.entitlementAlreadyExists, "user_id(u) (CanX,)"), ObpError(.bankNotFound, status: 400),
        ObpError(.bankNotFound), ObpError(.missingRoles, "CanCreateEntitlementAtAnyBank"), ObpError(.invalidRoleName, "CanFoo"),
        ObpError(.userAlreadyExists),
    ])
    func aRefusalKeepsItsCodeStatusAndMessageThroughTheLog(_ error: ObpError) {
        #expect(ObpError(rejection: error.rejection) == error)
    }

    @Test func theRoleCatalogueHasOBPsRolesAtTheirLevels() {
        #expect(ObpRoles.catalogue.count >= 306)
        #expect(ObpRoles.requiresBankId("CanCreateEntitlementAtAnyBank") == false)
        #expect(ObpRoles.requiresBankId("CanCreateEntitlementAtOneBank") == true)
        #expect(ObpRoles.requiresBankId("CanGetAnyUser") == false)
        #expect(ObpRoles.requiresBankId("CanCreateAccount") == true)
        #expect(ObpRoles.requiresBankId("CanCreateUserWithRoles") == false)
        #expect(ObpViewPermissions.inViewJSON.count == 74)
        #expect(Set(ObpViewPermissions.inViewJSON).isSubset(of: ObpViewPermissions.known))
    }
}
