import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerAuth
import LedgerCore
import LedgerStore

/// `/account`: the signed-in user's own grants, each with its scopes, budget bar, last
/// activity and a Revoke button.
struct AccountController: Sendable {
    let account: UserAccount
    let browser: BrowserLogin
    let pages: Pages
    let bodyBytesMax: Int

    func addRoutes(to router: RouterGroup<LedgerRequestContext>) {
        router.get("account", use: show)
        router.post("account/revoke", use: revoke)
    }

    @Sendable func show(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        guard let session = browser.session(request) else {
            return browser.loginRedirect(returnTo: "/account", pages: pages)
        }
        let grants = try await account.grants(of: session.user)
        return pages.render(
            "account",
            [
                "user": session.user.subject, "csrfToken": session.csrfToken,
                "grants": grants.map(Self.grantContext),
            ])
    }

    @Sendable func revoke(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        guard let session = browser.session(request) else {
            return browser.loginRedirect(returnTo: "/account", pages: pages)
        }
        guard let form = try? await FormParameters.of(request, bytesMax: bodyBytesMax, includeQuery: false),
            BrowserSessions.csrfMatches(session, form["csrf_token"])
        else {
            return pages.message("The form has expired", "Reload your account page and try again.",
                status: .forbidden, kind: "error", link: ("/account", "Your grants"))
        }
        do {
            try await account.revoke(
                connectionId: form["connection_id"] ?? "", by: session.user,
                RequestMetadata.source(request, context: context))
        } catch let rejection as Rejection {
            return pages.message("Not revoked", rejection.message, status: .notFound, kind: "error",
                link: ("/account", "Your grants"))
        }
        return Response(status: .seeOther, headers: [.location: "/account", .cacheControl: "no-store"])
    }

    static func grantContext(_ grant: AccountGrant) -> [String: Any] {
        let connection = grant.connection
        var context: [String: Any] = [
            "id": connection.id, "name": grant.client?.name ?? connection.name, "scopes": connection.scopes,
            "lastActivity": Pages.time(grant.lastActivityMs),
            "active": connection.status == .active, "revoked": connection.status != .active,
        ]
        if let budget = connection.budget {
            let usage = grant.status.usage
            let unit = budget.isBitcoin ? "sat" : budget.currency
            // SAT budgets count in msat; show whole sat.
            func shown(_ units: Int64) -> String { budget.isBitcoin ? "\(units / 1000) \(unit)" : "\(units) \(unit)" }
            var bar: [String: Any] = [
                "limit": budget.limitUnits, "committed": min(budget.limitUnits, usage.spentUnits + usage.heldUnits),
                "used": shown(usage.spentUnits), "held": shown(usage.heldUnits), "total": shown(budget.limitUnits),
            ]
            if let end = grant.status.cycle?.endMs { bar["renewsAt"] = Pages.time(end) }
            context["budget"] = bar
        }
        return context
    }
}
