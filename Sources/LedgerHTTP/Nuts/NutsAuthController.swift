import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerAuth
import LedgerCore
import LedgerStore
import NIOCore

/// The Nuts auth v1 API (`/internal/auth/v1/…`, `/public/auth/v1/…`) as an EHR written against
/// the Nuts node calls it. Translation only: each handler reads the node's request shape, calls
/// `PractitionerLogin`, and answers the node's shape; a refusal is the node's problem+json with
/// the title "<Operation> failed".
struct NutsAuthController {
    let login: PractitionerLogin
    let access: NutsInternalAccess
    let bodyBytesMax: Int
    let pages: Pages

    func addRoutes(internal group: RouterGroup<LedgerRequestContext>, public publicGroup: RouterGroup<LedgerRequestContext>) {
        group.put("contract/drawup", use: drawUp)
        group.post("signature/session", use: startSession)
        group.get("signature/session/:sessionID", use: sessionStatus)
        group.put("signature/verify", use: verify)
        group.post("request-access-token", use: requestAccessToken)
        group.post("accesstoken/introspect", use: introspect)
        group.head("accesstoken/verify", use: verifyToken)
        publicGroup.get("contract/:contractType", use: contract)
        publicGroup.get("means/employeeid/:sessionID", use: employeePage)
        publicGroup.post("means/employeeid/:sessionID", use: employeeDecision)
    }

    /// Runs one operation; its refusals become the node's problem with this operation's title.
    func operation(_ name: String, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let problem as NutsProblem {
            throw NutsProblemResponse(title: "\(name) failed", problem)
        } catch is DecodingError {
            throw NutsProblemResponse(title: "\(name) failed", .badRequest("the body is not JSON"))
        }
    }

    func body(_ request: Request) async throws -> [String: JSONValue] {
        let data = try await JSONBody.bytes(from: request, bytesMax: bodyBytesMax)
        guard case .object(let members) = try JSONDecoder().decode(JSONValue.self, from: data) else {
            throw NutsProblem.badRequest("the body must be a JSON object")
        }
        return members
    }

    static func string(_ members: [String: JSONValue], _ key: String, required: Bool = true) throws -> String? {
        switch members[key] {
        case .string(let value)?: return value
        case nil, .null?:
            if required { throw NutsProblem.badRequest("\(key) is required") }
            return nil
        default: throw NutsProblem.badRequest("\(key) must be a string")
        }
    }

    @Sendable func drawUp(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        try await access.check(request)
        return try await operation("DrawUpContract") {
            let body = try await body(request)
            let drawn = try login.drawUp(
                type: try Self.string(body, "type") ?? "", language: try Self.string(body, "language") ?? "",
                version: try Self.string(body, "version") ?? "", legalEntity: try Self.string(body, "legalEntity") ?? "",
                validFrom: try Self.string(body, "validFrom", required: false),
                validDuration: try Self.string(body, "validDuration", required: false))
            return try Self.json(
                .ok, ["message": drawn.message, "type": drawn.type, "language": drawn.language, "version": drawn.version])
        }
    }

    @Sendable func contract(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        try await operation("GetContractByType") {
            let query = request.uri.queryParameters
            let type = context.parameters.decoded("contractType") ?? ""
            let language = query["language"].map(String.init)
            let version = query["version"].map(String.init)
            guard type.utf8.count <= 64, (language?.utf8.count ?? 0) <= 8, (version?.utf8.count ?? 0) <= 8 else {
                throw NutsProblem.notFound("could not find contract template")
            }
            let template = try login.template(type: type, language: language, version: version)
            return try Self.json(
                .ok,
                [
                    "type": template.type, "language": template.language, "version": template.version,
                    "template": template.template, "template_attributes": template.templateAttributes,
                ])
        }
    }

    @Sendable func startSession(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await access.check(request)
        return try await operation("CreateSignSession") {
            let body = try await body(request)
            let started = try await login.startSession(
                means: try Self.string(body, "means") ?? "", payload: try Self.string(body, "payload") ?? "",
                params: body["params"], try caller.context(request, context))
            return try Self.json(
                .created, ["sessionID": started.session.id, "sessionPtr": started.pointer, "means": started.session.means.rawValue])
        }
    }

    @Sendable func sessionStatus(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await access.check(request)
        return try await operation("GetSignSessionStatus") {
            let id = context.parameters.decoded("sessionID") ?? ""
            let (status, presentation) = try await login.status(sessionId: id, try caller.context(request, context))
            var answer: [String: Any] = ["status": status]
            if let presentation { answer["verifiablePresentation"] = presentation }
            return try Self.json(.ok, answer)
        }
    }

    @Sendable func verify(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        try await access.check(request)
        return try await operation("VerifySignature") {
            let body = try await body(request)
            guard let presentation = body["VerifiablePresentation"], presentation != .null else {
                throw NutsProblem.badRequest("VerifiablePresentation is required")
            }
            return try Self.json(
                .ok, try await login.verify(presentation, checkTime: try Self.string(body, "checkTime", required: false)))
        }
    }

    @Sendable func requestAccessToken(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await access.check(request)
        return try await operation("RequestAccessToken") {
            let body = try await body(request)
            var credentials: [JSONValue] = []
            switch body["credentials"] {
            case .array(let items)?: credentials = items
            case nil, .null?: break
            default: throw NutsProblem.badRequest("credentials must be an array")
            }
            let identity = body["identity"].flatMap { $0 == .null ? nil : $0 }
            let answer = try await login.requestAccessToken(
                authorizer: try Self.string(body, "authorizer") ?? "", requester: try Self.string(body, "requester") ?? "",
                identity: identity, service: try Self.string(body, "service") ?? "", credentials: credentials
            ) { token in
                caller.context(
                    request, context, onBehalfOf: token.signer.username,
                    subject: .init(id: token.signer.username, idType: "nuts-user"))
            }
            return try Self.json(.ok, answer)
        }
    }

    @Sendable func introspect(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        try await access.check(request)
        // Always 200, as the node answers: a form it cannot read names no active token.
        let form = try? await FormParameters.of(request, bytesMax: bodyBytesMax, includeQuery: false)
        let token = form?["token"] ?? ""
        return try Self.json(.ok, token.isEmpty || token.utf8.count > 8192 ? ["active": false] : await login.introspect(token))
    }

    /// The token to check is the Bearer itself; nothing else is needed (the node's behaviour).
    @Sendable func verifyToken(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let header = request.headers[.authorization] ?? ""
        guard header.utf8.count <= 8200, let token = AuthorizationHeader.credentials(header, scheme: "bearer"),
            await login.activeToken(String(token)) != nil
        else { return Response(status: .forbidden) }
        return Response(status: .ok)
    }

    // MARK: The employeeid means' page

    @Sendable func employeePage(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let id = context.parameters.decoded("sessionID") ?? ""
        let session: SigningSession
        do {
            session = try await login.page(sessionId: id, .view, secret: nil, NutsInternalAccess.pageContext(request, context))
        } catch is NutsProblem {
            return pages.render("message", ["heading": "Unknown session", "text": "There is no signing session here.", "kind": "error"], status: .notFound)
        } catch is Rejection {
            return pages.render("message", ["heading": "Unknown session", "text": "There is no signing session here.", "kind": "error"], status: .notFound)
        }
        return page(session)
    }

    @Sendable func employeeDecision(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let id = context.parameters.decoded("sessionID") ?? ""
        let form = try await FormParameters.of(request, bytesMax: bodyBytesMax, includeQuery: false)
        guard let accept = form["accept"], accept == "true" || accept == "false" else {
            return pages.render(
                "message", ["heading": "Nothing decided", "text": "Choose to sign or to decline.", "kind": "error"], status: .badRequest)
        }
        do {
            _ = try await login.page(
                sessionId: id, accept == "true" ? .accept : .decline, secret: form["secret"],
                NutsInternalAccess.pageContext(request, context))
        } catch let rejection as Rejection {
            return pages.render("message", ["heading": "Not signed", "text": rejection.message, "kind": "error"], status: .notFound)
        } catch is NutsProblem {
            return pages.render("message", ["heading": "Unknown session", "text": "There is no signing session here.", "kind": "error"], status: .notFound)
        }
        // Post/redirect/get: the page then shows the outcome.
        return Response(status: .found, headers: [.location: "./\(id)"])
    }

    func page(_ session: SigningSession) -> Response {
        let english = session.contract.hasPrefix("EN:")
        let statusText: [SigningSession.Status: (String, String)] = [
            .completed: ("Signed", "Ondertekend"), .vpRequested: ("Signed", "Ondertekend"),
            .cancelled: ("Declined", "Geweigerd"), .errored: ("Something went wrong", "Er ging iets mis"),
            .expired: ("This session has expired", "Deze sessie is verlopen"),
        ]
        let contractText = session.contract.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? session.contract
        var context: [String: Any] = [
            "en": english, "contract": contractText, "identifier": session.signer.username,
            "name": [session.signer.initials, session.signer.familyName].joined(separator: " "),
            "role": session.signer.role, "hasRole": !session.signer.role.isEmpty,
        ]
        if session.status == .inProgress {
            context["open"] = true
            context["secret"] = login.pageSecret(sessionId: session.id)
        } else if let text = statusText[session.status] {
            context["outcome"] = english ? text.0 : text.1
        }
        return pages.render("employeeid", context)
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Who may call `/internal/auth/v1/…`: the operator's own systems, with the admin credential or
/// an access token granted `nuts:internal` (DESIGN §6: nothing is open because it runs on a
/// trusted network).
struct NutsInternalAccess: Sendable {
    static let scope = "nuts:internal"
    let tokens: AccessTokenCheck
    let admin: AdminCredentialDigest

    struct Caller: Sendable {
        var id: String
        var role: String

        func context(
            _ request: Request, _ context: LedgerRequestContext, onBehalfOf: String? = nil,
            subject: EventMetadata.Subject? = nil
        ) -> WriteContext {
            var metadata = RequestMetadata.make(
                request, context: context, actor: .init(id: id, role: role), onBehalfOf: onBehalfOf, action: .execute,
                subjectUserId: nil)
            metadata.subject = subject
            return WriteContext(metadata)
        }
    }

    @discardableResult
    func check(_ request: Request) async throws -> Caller {
        let caller: ScopedAccess.Caller
        do {
            caller = try await ScopedAccess(tokens: tokens, admin: admin).caller(
                bearer: request.bearerToken.map(String.init), needs: Self.scope)
        } catch where error.status == .unauthorized {
            throw NutsProblemResponse.unauthorized(error.message)
        } catch {
            var refusal = NutsProblemResponse(title: "Operation failed", NutsProblem(status: .forbidden, detail: error.message))
            refusal.headers[.wwwAuthenticate] = #"Bearer realm="grantledger-nuts", error="insufficient_scope""#
            throw refusal
        }
        return caller.isAdmin ? Caller(id: "admin", role: "admin") : Caller(id: "client:\(caller.clientId)", role: "app")
    }

    /// The page is the signer's, reached by its link: they act on their own session.
    static func pageContext(_ request: Request, _ context: LedgerRequestContext) -> WriteContext {
        WriteContext(
            RequestMetadata.make(
                request, context: context, actor: .init(id: "signer", role: "user"), action: .update, subjectUserId: nil))
    }
}

/// The node's error body: RFC 7807 problem+json `{"detail", "status", "title"}`.
struct NutsProblemResponse: HTTPResponseError, Sendable {
    let title: String
    let problem: NutsProblem
    var headers: HTTPFields = [:]

    init(title: String, _ problem: NutsProblem) {
        self.title = title
        self.problem = problem
    }

    static func unauthorized(_ detail: String) -> NutsProblemResponse {
        var answer = NutsProblemResponse(title: "Operation failed", NutsProblem(status: .unauthorized, detail: detail))
        answer.headers[.wwwAuthenticate] = #"Bearer realm="grantledger-nuts""#
        return answer
    }

    var status: HTTPResponse.Status {
        switch problem.status {
        case .badRequest: .badRequest
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .unauthorized: .unauthorized
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        let body = try JSONSerialization.data(
            withJSONObject: ["detail": problem.detail, "status": status.code, "title": title] as [String: Any],
            options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Every other error on these routes (body too large, the writer busy) in the same shape.
enum NutsErrors: ErrorShape {
    static func render(_ error: any Error) -> (any HTTPResponseError)? {
        switch error {
        case let answer as NutsProblemResponse: return answer
        case let problem as NutsProblem: return NutsProblemResponse(title: "Operation failed", problem)
        case let rejection as Rejection:
            return NutsProblemResponse(title: "Operation failed", .badRequest(rejection.message))
        default:
            guard let api = AdminErrors.render(error) as? APIError else { return nil }
            return NutsGenericProblem(api: api)
        }
    }

    static var unexpected: any HTTPResponseError {
        NutsGenericProblem(api: APIError(.internalServerError, code: "internal_error", message: "internal error; see the server log"))
    }
}

/// A transport-level refusal (413, 405, 503, …) as a problem, keeping its status and headers.
struct NutsGenericProblem: HTTPResponseError, Sendable {
    let api: APIError
    var status: HTTPResponse.Status { api.status }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = api.headers
        headers[.contentType] = "application/problem+json"
        let body = try JSONSerialization.data(
            withJSONObject: ["detail": api.message, "status": api.status.code, "title": "Operation failed"] as [String: Any],
            options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: api.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
