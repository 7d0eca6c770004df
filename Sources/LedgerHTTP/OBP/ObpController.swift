import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerCore
import LedgerStore

/// The Open Bank Project surface under `/obp/v5.1.0`, at OBP-API's own paths: banks and
/// accounts, users, entitlements, views, account access and DAuth's two operations; plus the
/// history and `?at=` reads OBP lacks. HTTP only: each handler authenticates, decodes, calls one
/// use case and writes OBP's shape.
struct ObpController {
    let grants: OpenBankGrants
    let auth: ObpAuthentication
    let bodyBytesMax: Int

    func addRoutes(to group: RouterGroup<LedgerRequestContext>) {
        group.post("banks", use: createBank)
        group.put("banks/:BANK_ID/accounts/:ACCOUNT_ID", use: createAccount)
        group.get("users/current", use: currentUser)
        group.post("users", use: createUser)
        group.post("users/:USER_ID/entitlements", use: grantEntitlement)
        group.get("users/:USER_ID/entitlements", use: entitlements)
        group.get("users/:USER_ID/entitlements/history", use: entitlementHistory)
        group.delete("users/:USER_ID/entitlement/:ENTITLEMENT_ID", use: revokeEntitlement)
        group.get("my/entitlements", use: myEntitlements)
        group.post("user-entitlements", use: createUserWithRoles)
        // The name issue 14 gives DAuth's "Create User with Roles", beside OBP's own path.
        group.post("users/dauth/entitlements", use: createUserWithRoles)
        group.get("banks/:BANK_ID/accounts/:ACCOUNT_ID/views", use: views)
        group.post("banks/:BANK_ID/accounts/:ACCOUNT_ID/views", use: createView)
        group.put("banks/:BANK_ID/accounts/:ACCOUNT_ID/views/:VIEW_ID", use: updateView)
        group.delete("banks/:BANK_ID/accounts/:ACCOUNT_ID/views/:VIEW_ID", use: deleteView)
        group.get("system-views/:VIEW_ID", use: systemView)
        group.post("banks/:BANK_ID/accounts/:ACCOUNT_ID/views/:VIEW_ID/account-access/grant", use: grantAccess)
        group.post("banks/:BANK_ID/accounts/:ACCOUNT_ID/views/:VIEW_ID/account-access/revoke", use: revokeAccess)
        group.post("banks/:BANK_ID/accounts/:ACCOUNT_ID/views/:VIEW_ID/user-account-access", use: createUserWithAccountAccess)
        group.get("banks/:BANK_ID/accounts/:ACCOUNT_ID/account-access", use: accountAccess)
        group.get("banks/:BANK_ID/accounts/:ACCOUNT_ID/account-access/history", use: accessHistory)
    }

    static let dauthHeader = HTTPField.Name("DAuth")!

    func caller(_ request: Request, _ context: LedgerRequestContext) async throws -> ObpCaller {
        try await auth.caller(
            .init(
                bearer: request.bearerToken.map(String.init), dauth: request.headers[values: Self.dauthHeader],
                source: RequestMetadata.source(request, context: context)))
    }

    func source(_ request: Request, _ context: LedgerRequestContext) -> RequestSource {
        RequestMetadata.source(request, context: context)
    }

    // MARK: Parameters

    func bankId(_ context: LedgerRequestContext) throws -> String {
        guard let id = context.parameters.decoded("BANK_ID"), ObpText.isValidId(id) else {
            throw ObpError(.bankNotFound)
        }
        return id
    }

    func accountId(_ context: LedgerRequestContext) throws -> String {
        guard let id = context.parameters.decoded("ACCOUNT_ID"), ObpText.isValidId(id) else {
            throw ObpError(.accountNotFound)
        }
        return id
    }

    func viewId(_ context: LedgerRequestContext) throws -> String {
        guard let id = context.parameters.decoded("VIEW_ID"), ObpText.isValidId(id) else { throw ObpError(.viewNotFound) }
        return id
    }

    func userId(_ context: LedgerRequestContext) throws -> String {
        guard let id = context.parameters.decoded("USER_ID"), ObpText.isValidId(id) else { throw ObpError(.userNotFound) }
        return id
    }

    /// `?at=`: an RFC 3339 time; absent means now.
    static func at(_ request: Request) throws -> Int64? {
        guard let text = request.uri.queryParameters["at"] else { return nil }
        // Down: a moment between two milliseconds has not yet seen what the later one recorded.
        guard let ms = RFC3339.unixMs(String(text), rounding: .down) else {
            throw ObpError(.invalidDate, "at must be an RFC 3339 time, e.g. 2026-03-03T12:00:00Z")
        }
        return ms
    }

    /// `?limit=` and `?after_seq=` of a history page.
    static func page(_ request: Request, limitDefault: Int = 100) throws -> (afterSeq: Int64, limit: Int) {
        let query = request.uri.queryParameters
        var limit = limitDefault
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1...ObpSettings.pageSizeMax).contains(value) else {
                throw ObpError(.invalidValue, "limit must be a whole number from 1 to \(ObpSettings.pageSizeMax)")
            }
            limit = value
        }
        var afterSeq: Int64 = 0
        if let text = query["after_seq"] {
            guard let value = Int64(String(text)), value >= 0 else {
                throw ObpError(.invalidValue, "after_seq must be a whole number of at least 0")
            }
            afterSeq = value
        }
        return (afterSeq, limit)
    }

    // MARK: Banks and accounts

    @Sendable func createBank(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let body = try await ObpBody.decode(ObpBankBody.self, from: request, bytesMax: bodyBytesMax)
        if let id = body.id {
            guard ObpBank.isValidId(id) else {
                throw ObpError(.invalidJson, "BANK_ID must be 4 to 16 of letters, digits, '-', '.' and '_'")
            }
        }
        var random = SystemRandomNumberGenerator()
        let bank = ObpBank(
            id: body.id ?? random.uuidString(), bankCode: try ObpBody.text(body.bankCode, "bank_code"),
            fullName: try ObpBody.text(body.fullName, "full_name", required: false),
            logo: try ObpBody.text(body.logo, "logo", bytesMax: 2000, required: false),
            website: try ObpBody.text(body.website, "website", bytesMax: 2000, required: false),
            routings: try ObpBody.routings(body.bankRoutings, "bank_routings"))
        let created = try await grants.createBank(bank, caller: caller, source: source(request, context))
        return try ObpJSON.response(ObpJSON.bank(created), status: .created)
    }

    @Sendable func createAccount(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let bankId = try bankId(context)
        guard let accountId = context.parameters.decoded("ACCOUNT_ID"), ObpText.isValidId(accountId) else {
            throw ObpError(.invalidAccountId)
        }
        let body = try await ObpBody.decode(ObpAccountBody.self, from: request, bytesMax: bodyBytesMax)
        guard let holder = body.userId ?? caller.userId else {
            throw ObpError(.invalidJson, "user_id is required when the admin credential opens an account")
        }
        let currency = body.balance?.currency ?? "EUR"
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw ObpError(.invalidValue, "balance.currency must be an ISO 4217 code such as EUR")
        }
        let account = ObpAccount(
            bankId: bankId, id: accountId, holderUserId: holder, label: try ObpBody.text(body.label, "label", required: false),
            productCode: try ObpBody.text(body.productCode, "product_code", required: false), currency: currency,
            branchId: try ObpBody.text(body.branchId, "branch_id", required: false),
            routings: try ObpBody.routings(body.accountRoutings, "account_routings"))
        let created = try await grants.createAccount(
            account, balanceAmount: body.balance?.amount, caller: caller, source: source(request, context))
        return try ObpJSON.response(ObpJSON.account(created), status: .created)
    }

    // MARK: Users and entitlements

    @Sendable func currentUser(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let current = try grants.currentUser(try await caller(request, context))
        return try ObpJSON.response(ObpJSON.user(current.user, entitlements: current.entitlements, views: current.views))
    }

    @Sendable func createUser(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let body = try await ObpBody.decode(ObpUserBody.self, from: request, bytesMax: bodyBytesMax)
        let user = try await grants.createUser(
            provider: body.provider.map { try ObpBody.text($0, "provider") }, username: try ObpBody.text(body.username, "username"),
            email: try ObpBody.text(body.email, "email", required: false), caller: caller, source: source(request, context))
        return try ObpJSON.response(ObpJSON.user(user, entitlements: [], views: nil), status: .created)
    }

    @Sendable func grantEntitlement(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let userId = try userId(context)
        let body = try await ObpBody.decode(ObpEntitlementBody.self, from: request, bytesMax: bodyBytesMax)
        let granted = try await grants.grantEntitlement(
            userId: userId, body.request, caller: caller, source: source(request, context))
        return try ObpJSON.response(ObpJSON.entitlement(granted), status: .created)
    }

    @Sendable func entitlements(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let list = try grants.entitlements(userId: try userId(context), atMs: try Self.at(request), caller: caller)
        return try ObpJSON.response(["list": list.map { ObpJSON.entitlement($0) }])
    }

    @Sendable func myEntitlements(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let current = try grants.currentUser(try await caller(request, context))
        return try ObpJSON.response(["list": current.entitlements.map { ObpJSON.entitlement($0) }])
    }

    @Sendable func entitlementHistory(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let page = try Self.page(request)
        let entries = try grants.entitlementHistory(
            userId: try userId(context), afterSeq: page.afterSeq, limit: page.limit, caller: caller)
        return try ObpJSON.response(ObpJSON.historyPage(entries, limit: page.limit))
    }

    @Sendable func revokeEntitlement(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        guard let entitlementId = context.parameters.decoded("ENTITLEMENT_ID"), ObpText.isValidId(entitlementId) else {
            throw ObpError(.entitlementNotFound)
        }
        try await grants.revokeEntitlement(
            userId: try userId(context), entitlementId: entitlementId, caller: caller, source: source(request, context))
        return Response(status: .noContent)
    }

    @Sendable func createUserWithRoles(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let body = try await ObpBody.decode(ObpUserWithRolesBody.self, from: request, bytesMax: bodyBytesMax)
        guard let roles = body.roles else { throw ObpError(.invalidJson, "roles is required") }
        let (_, granted) = try await grants.createUserWithRoles(
            provider: try ObpBody.text(body.provider, "provider"), username: try ObpBody.text(body.username, "username"),
            roles: roles.map(\.request), caller: caller, source: source(request, context))
        return try ObpJSON.response(["list": granted.map { ObpJSON.entitlement($0, withUser: true) }], status: .created)
    }

    // MARK: Views

    @Sendable func views(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let views = try grants.views(bankId: try bankId(context), accountId: try accountId(context), caller: caller)
        return try ObpJSON.response(["views": views.map { ObpJSON.view($0, v500: true) }])
    }

    @Sendable func createView(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let (bankId, accountId) = (try bankId(context), try accountId(context))
        let body = try await ObpBody.decode(ObpViewBody.self, from: request, bytesMax: bodyBytesMax)
        let name = try ObpBody.text(body.name, "name")
        // OBP's view id is the name without spaces, lower-cased.
        let id = name.replacingOccurrences(of: " ", with: "").lowercased()
        guard ObpText.isValidId(id) else { throw ObpError(.invalidJson, "name must make a view id of letters, digits, '.', '_' and '-'") }
        let view = try body.view(id: id, bankId: bankId, accountId: accountId, name: name)
        let saved = try await grants.changeView(.create(view), bankId: bankId, accountId: accountId, caller: caller, source: source(request, context))
        return try ObpJSON.response(ObpJSON.view(saved ?? view), status: .created)
    }

    @Sendable func updateView(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let (bankId, accountId, viewId) = (try bankId(context), try accountId(context), try viewId(context))
        let body = try await ObpBody.decode(ObpViewBody.self, from: request, bytesMax: bodyBytesMax)
        let current = try grants.ledger.obpView(bankId: bankId, accountId: accountId, id: viewId)
        let view = try body.view(id: viewId, bankId: bankId, accountId: accountId, name: current?.shortName ?? viewId)
        let saved = try await grants.changeView(.update(view), bankId: bankId, accountId: accountId, caller: caller, source: source(request, context))
        return try ObpJSON.response(ObpJSON.view(saved ?? view))
    }

    @Sendable func deleteView(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let (bankId, accountId, viewId) = (try bankId(context), try accountId(context), try viewId(context))
        _ = try await grants.changeView(.delete(viewId: viewId), bankId: bankId, accountId: accountId, caller: caller, source: source(request, context))
        return Response(status: .noContent)
    }

    @Sendable func systemView(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        guard let id = context.parameters.decoded("VIEW_ID") else { throw ObpError(.systemViewNotFound) }
        return try ObpJSON.response(ObpJSON.view(try grants.systemView(id: id, caller: caller), v500: true))
    }

    // MARK: Account access

    func accessRequest(_ request: Request) async throws -> AccountAccessRequest {
        let body = try await ObpBody.decode(ObpAccessBody.self, from: request, bytesMax: bodyBytesMax)
        return AccountAccessRequest(userId: body.userId, viewId: body.viewId)
    }

    @Sendable func grantAccess(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let (bankId, accountId, viewId) = (try bankId(context), try accountId(context), try viewId(context))
        let view = try await grants.grantAccess(
            bankId: bankId, accountId: accountId, sourceViewId: viewId, try await accessRequest(request), caller: caller,
            source: source(request, context))
        return try ObpJSON.response(ObpJSON.view(view), status: .created)
    }

    @Sendable func revokeAccess(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let (bankId, accountId, viewId) = (try bankId(context), try accountId(context), try viewId(context))
        try await grants.revokeAccess(
            bankId: bankId, accountId: accountId, sourceViewId: viewId, try await accessRequest(request), caller: caller,
            source: source(request, context))
        return try ObpJSON.response(["revoked": true], status: .created)
    }

    @Sendable func createUserWithAccountAccess(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let (bankId, accountId, viewId) = (try bankId(context), try accountId(context), try viewId(context))
        let body = try await ObpBody.decode(ObpUserAccessBody.self, from: request, bytesMax: bodyBytesMax)
        guard let target = body.viewId, ObpText.isValidId(target) else { throw ObpError(.invalidJson, "view_id is required") }
        let (_, view) = try await grants.createUserWithAccountAccess(
            bankId: bankId, accountId: accountId, sourceViewId: viewId, provider: try ObpBody.text(body.provider, "provider"),
            username: try ObpBody.text(body.username, "username"), viewId: target, caller: caller, source: source(request, context))
        return try ObpJSON.response(ObpJSON.view(view), status: .created)
    }

    @Sendable func accountAccess(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let atMs = try Self.at(request)
        let page = try Self.page(request, limitDefault: ObpSettings.pageSizeMax)
        let list = try grants.accountAccess(
            bankId: try bankId(context), accountId: try accountId(context), atMs: atMs, afterSeq: page.afterSeq,
            limit: page.limit, caller: caller)
        var body: [String: Any] = ["account_access": list.map { ObpJSON.access($0.access) }]
        if let atMs { body["at"] = ObpJSON.time(atMs) }
        // A full page may have more after it: the answer says where to go on.
        if list.count == page.limit, let last = list.last { body["next_after_seq"] = last.seq }
        return try ObpJSON.response(body)
    }

    @Sendable func accessHistory(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await caller(request, context)
        let page = try Self.page(request)
        let entries = try grants.accessHistory(
            bankId: try bankId(context), accountId: try accountId(context), afterSeq: page.afterSeq, limit: page.limit,
            caller: caller)
        return try ObpJSON.response(ObpJSON.historyPage(entries, limit: page.limit))
    }
}

/// `POST /authz/check`: the decision endpoint for resource servers, in OBP's error shape.
struct AuthzController {
    let checks: AuthorizationChecks
    let bodyBytesMax: Int

    func addRoutes(to group: RouterGroup<LedgerRequestContext>) {
        group.post("check", use: check)
    }

    struct Body: Decodable {
        var userId: String?
        var bankId: String?
        var accountId: String?
        var permission: String?
        var role: String?

        enum CodingKeys: String, CodingKey {
            case userId = "user_id"
            case bankId = "bank_id"
            case accountId = "account_id"
            case permission, role
        }
    }

    @Sendable func check(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let body = try await ObpBody.decode(Body.self, from: request, bytesMax: bodyBytesMax)
        guard let userId = body.userId, ObpText.isValidId(userId) else { throw ObpError(.invalidJson, "user_id is required") }
        for (value, field) in [(body.bankId, "bank_id"), (body.accountId, "account_id")] {
            if let value, !value.isEmpty, !ObpText.isValidId(value) {
                throw ObpError(.invalidValue, "\(field) is not a valid id")
            }
        }
        for (value, field) in [(body.permission, "permission"), (body.role, "role")] {
            if let value, value.utf8.count > ObpCheck.permissionBytesMax { throw ObpError(.invalidValue, "\(field) is too long") }
        }
        let answer = try await checks.check(
            ObpCheck(
                userId: userId, bankId: body.bankId.flatMap { $0.isEmpty ? nil : $0 }, accountId: body.accountId,
                permission: body.permission, role: body.role),
            bearer: request.bearerToken.map(String.init), source: RequestMetadata.source(request, context: context))
        var json: [String: Any] = ["allowed": answer.allowed, "reason": answer.reason]
        if let viewId = answer.viewId { json["view_id"] = viewId }
        if let entitlementId = answer.entitlementId { json["entitlement_id"] = entitlementId }
        return try ObpJSON.response(json)
    }
}
