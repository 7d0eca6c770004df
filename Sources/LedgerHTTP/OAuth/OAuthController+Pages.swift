import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerAuth
import LedgerCore
import LedgerStore

/// What a person's browser meets at `/oauth/authorize` and `/oauth/device`: the login redirect,
/// the consent page and the device page. The operator's own front end (a Bearer user token, or
/// `token`) keeps the JSON and 302 answers of `OAuthController`.
extension OAuthController {
    /// The parameters a consent form posts back, so the request is checked again on the answer.
    static let authorizationParameters = [
        "response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method",
        "nonce", "expires_in", "budget",
    ]

    static func authorizationRequest(_ form: FormParameters) -> AuthorizationRequest {
        AuthorizationRequest(
            clientId: form["client_id"], redirectUri: form["redirect_uri"], state: form["state"],
            responseType: form["response_type"], scopes: form.scopes, codeChallenge: form["code_challenge"],
            codeChallengeMethod: form["code_challenge_method"], expiresIn: form["expires_in"], budget: form["budget"],
            nonce: form["nonce"])
    }

    /// GET /oauth/authorize in a browser: login if needed, then the consent page. `prompt` as
    /// OpenID Connect Core §3.1.2.1 says: `none` never shows a page (no consent is remembered),
    /// `login` logs in again, `consent` is what always happens anyway.
    func authorizePage(_ request: Request, _ form: FormParameters, _ context: LedgerRequestContext) async throws
        -> Response
    {
        let valid: ValidAuthorization
        do {
            switch try grants.check(Self.authorizationRequest(form)) {
            case .refused(let redirect): return Self.redirect(redirect)
            case .valid(let checked): valid = checked
            }
        } catch let refusal as OAuthRefusal {
            return pages.message("This app's request is not valid", refusal.description, status: .badRequest, kind: "error")
        }
        let session: BrowserSession
        switch grants.browserStep(
            valid, session: browser.session(request), prompt: form["prompt"], maxAgeSec: form["max_age"],
            sessionLifetimeSec: browser.sessions.lifetimeSec)
        {
        case .refuse(let redirect): return Self.redirect(redirect)
        // Back here after the login, without asking for it again.
        case .login:
            // A POSTed request goes on as the same GET, so the way back keeps its parameters
            // (a cross-site POST carries no SameSite=Lax cookie, so it always lands here).
            let returnTo =
                request.method == .post ? Self.getURL(form) : Self.withoutLoginPrompt(request)
            var forwarding: [(String, String)] = []
            if (form["prompt"] ?? "").split(separator: " ").contains("login") { forwarding.append(("prompt", "login")) }
            if let maxAge = form["max_age"] { forwarding.append(("max_age", maxAge)) }
            return browser.loginRedirect(returnTo: returnTo, pages: pages, forwarding: forwarding)
        case .consent(let current): session = current
        }
        var fields: [[String: String]] = []
        for name in Self.authorizationParameters { if let value = form[name] { fields.append(["name": name, "value": value]) } }
        return consentPage(
            client: valid.client, scopes: valid.scopes, budget: valid.budget, budgetText: form["budget"],
            lifetimeSec: valid.lifetimeSec, session: session, formAction: "/oauth/authorize", fields: fields,
            redirectUri: valid.redirectUri, deviceCode: nil)
    }

    /// POST /oauth/authorize from the consent page: approve or deny, with the session's CSRF token.
    func authorizeAnswer(_ request: Request, _ form: FormParameters, _ context: LedgerRequestContext) async throws
        -> Response
    {
        let valid: ValidAuthorization
        do {
            switch try grants.check(Self.authorizationRequest(form)) {
            case .refused(let redirect): return Self.redirect(redirect)
            case .valid(let checked): valid = checked
            }
        } catch let refusal as OAuthRefusal {
            return pages.message("This app's request is not valid", refusal.description, status: .badRequest, kind: "error")
        }
        guard let session = browser.session(request) else {
            return pages.message(
                "Your session has ended", "Go back to the app and start again.", status: .unauthorized, kind: "error")
        }
        guard BrowserSessions.csrfMatches(session, form["csrf_token"]) else {
            return pages.message(
                "The form has expired", "Go back to the app and start again.", status: .forbidden, kind: "error")
        }
        switch form["action"] {
        case "approve":
            return Self.redirect(try await grants.approve(valid, user: session.user, Self.source(request, context)))
        case "deny":
            return Self.redirect(
                grants.refused(valid.redirectUri, state: valid.state, "access_denied", "the user denied the request"))
        default:
            return pages.message("Nothing was decided", "Choose Approve or Deny.", status: .badRequest, kind: "error")
        }
    }

    /// GET /oauth/device in a browser: the code form, or with a code the consent page.
    func devicePage(_ request: Request, _ form: FormParameters, _ context: LedgerRequestContext) async throws
        -> Response
    {
        guard let session = browser.session(request) else {
            return browser.loginRedirect(returnTo: BrowserLogin.returnTo(request), pages: pages)
        }
        guard let userCode = form["user_code"] else { return deviceForm(session, userCode: nil, error: nil) }
        let address = RequestMetadata.source(request, context: context).ip
        let asked: DeviceRequest
        switch grants.lookUpDeviceCode(userCode, session: session, address: address, sessions: browser.sessions) {
        case .asked(let request): asked = request
        case .tooManyWrongCodes:
            return deviceForm(
                session, userCode: userCode, error: "Too many wrong codes. Wait a minute, then try again.",
                status: .tooManyRequests, headers: [.retryAfter: "60"])
        case .notValid:
            return deviceForm(
                session, userCode: userCode, error: "That code is not valid. Check the code your device shows.",
                status: .badRequest)
        case .expired:
            return deviceForm(
                session, userCode: userCode, error: "That code has expired. Start again on your device.",
                status: .badRequest)
        case .alreadyAnswered:
            return pages.message("Already answered", "This code has already been answered.", status: .conflict, kind: "error")
        case .unavailable:
            return pages.message(
                "Try again shortly", "The ledger cannot be read right now.", status: .serviceUnavailable, kind: "error")
        }
        let client = asked.client ?? OAuthClient(
            id: asked.clientId, name: asked.clientName, url: nil, imageUrl: nil, redirectUris: [], isPublic: true,
            scopes: [], secretSha256: nil, status: .active, createdAtMs: 0, updatedAtMs: 0, version: 0)
        // The device asks for no budget; the one it gets is the configured default.
        let budget = (try? grants.nwc.grantBudget(nil)).flatMap { $0 }
        return consentPage(
            client: client, scopes: asked.orderedScopes, budget: budget, budgetText: nil,
            lifetimeSec: grants.settings.accessTokenLifetimeSec, session: session, formAction: "/oauth/device",
            fields: [["name": "user_code", "value": userCode]], redirectUri: nil, deviceCode: userCode)
    }

    /// POST /oauth/device from the device consent page.
    func deviceAnswer(_ request: Request, _ form: FormParameters, _ context: LedgerRequestContext) async throws
        -> Response
    {
        guard let session = browser.session(request) else {
            return pages.message(
                "Your session has ended", "Open the device page again.", status: .unauthorized, kind: "error")
        }
        guard BrowserSessions.csrfMatches(session, form["csrf_token"]) else {
            return pages.message("The form has expired", "Open the device page again.", status: .forbidden, kind: "error")
        }
        guard let action = form["action"], action == "approve" || action == "deny" else {
            return pages.message("Nothing was decided", "Choose Approve or Deny.", status: .badRequest, kind: "error")
        }
        // The answer names a user code too: it counts against the wrong-code cap like the look-up.
        let address = RequestMetadata.source(request, context: context).ip
        switch grants.lookUpDeviceCode(
            form["user_code"] ?? "", session: session, address: address, sessions: browser.sessions)
        {
        case .asked: break
        case .tooManyWrongCodes:
            return deviceForm(
                session, userCode: nil, error: "Too many wrong codes. Wait a minute, then try again.",
                status: .tooManyRequests, headers: [.retryAfter: "60"])
        case .notValid, .expired, .alreadyAnswered:
            return deviceForm(session, userCode: nil, error: "That code is not valid any more.", status: .badRequest)
        case .unavailable:
            return pages.message(
                "Try again shortly", "The ledger cannot be read right now.", status: .serviceUnavailable, kind: "error")
        }
        do {
            let answer = try await grants.answerDevice(
                userCode: form["user_code"], action: action, budget: nil, user: session.user,
                Self.source(request, context))
            return answer.approved
                ? pages.message("Device approved", "The device is approved. You can return to it now.", kind: "ok")
                : pages.message("Device denied", "The device was denied access.", kind: "note")
        } catch let refusal as OAuthRefusal {
            return pages.message("Not answered", refusal.description, status: .badRequest, kind: "error")
        }
    }

    func deviceForm(
        _ session: BrowserSession, userCode: String?, error: String?, status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    ) -> Response {
        var context: [String: Any] = ["user": session.user.subject, "userCode": userCode ?? ""]
        if let error { context["error"] = error }
        return pages.render("device", context, status: status, headers: headers)
    }

    /// The one consent page of both flows.
    func consentPage(
        client: OAuthClient, scopes: [String], budget: BudgetDefinition?, budgetText: String?, lifetimeSec: Int64,
        session: BrowserSession, formAction: String, fields: [[String: String]], redirectUri: String?,
        deviceCode: String?
    ) -> Response {
        let descriptions = grants.settings.scopes.descriptions
        var context: [String: Any] = [
            "clientName": client.name, "user": session.user.subject, "csrfToken": session.csrfToken,
            "formAction": formAction, "fields": fields,
            "scopes": scopes.map { ["name": $0, "description": descriptions[$0] ?? "Use \($0)"] },
            "budget": Self.budgetDescription(budget, asked: budgetText),
            "expiry": "Until you revoke it on your account page. Each access token lasts "
                + Self.duration(lifetimeSec) + ".",
        ]
        let logoOrigin = Pages.logoOrigin(client.imageUrl)
        if logoOrigin != nil { context["logoUrl"] = client.imageUrl }
        if let url = client.url { context["clientUrl"] = url }
        if let deviceCode { context["deviceCode"] = deviceCode }
        let target = redirectUri.flatMap(Pages.cspSource(ofURI:))
        return pages.render(
            "consent", context, policy: Pages.Policy(formTargets: target.map { [$0] } ?? [], imageOrigin: logoOrigin))
    }

    static func budgetDescription(_ budget: BudgetDefinition?, asked: String?) -> String {
        guard let budget else { return "No spending limit" }
        let period: String = switch budget.period {
        case .daily: "a day"
        case .weekly: "a week"
        case .monthly: "a month"
        case .yearly: "a year"
        case .never: "in total"
        }
        var text = "\(budget.amount) \(budget.currency == "SAT" ? "sat" : budget.currency) \(period)"
        if let max = budget.maxPerPayment { text += ", at most \(max) per payment" }
        if let asked { text = "\(asked): " + text }
        return text
    }

    static func duration(_ seconds: Int64) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400) day" + (seconds == 86_400 ? "" : "s") }
        if seconds % 3600 == 0 { return "\(seconds / 3600) hour" + (seconds == 3600 ? "" : "s") }
        if seconds % 60 == 0 { return "\(seconds / 60) minutes" }
        return "\(seconds) seconds"
    }

    /// A POSTed authorization request as the equivalent GET (OpenID Connect Core §3.1.2.1 allows both).
    static func getURL(_ form: FormParameters) -> String {
        var components = URLComponents()
        components.queryItems = authorizationParameters.compactMap { name in
            form[name].map { URLQueryItem(name: name, value: $0) }
        }
        return "/oauth/authorize?" + BrowserLogin.encoded(components)
    }

    /// The request again, minus `prompt=login` (done by the redirect) so the way back does not loop.
    static func withoutLoginPrompt(_ request: Request) -> String {
        BrowserLogin.returnTo(request, dropping: ["prompt", "max_age"])
    }
}
