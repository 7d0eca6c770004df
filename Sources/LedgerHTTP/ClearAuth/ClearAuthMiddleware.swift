import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore
import NIOCore

/// NUT-21 in front of the router: a request to a protected endpoint must pass `ClearAuthGate`
/// (its `Clear-auth` header), and then goes to the origin, or on to the router when there is none.
struct ClearAuthMiddleware: RouterMiddleware {
    typealias Context = LedgerRequestContext

    let gate: ClearAuthGate
    let bodyBytesMax: Int

    static let header = HTTPField.Name("Clear-auth")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard gate.protects(method: request.method.rawValue, path: request.uri.path) else {
            return try await next(request, context)
        }
        do {
            let identity = try await gate.admit(
                token: request.headers[Self.header], method: request.method.rawValue, path: request.uri.path
            ) { identity in
                RequestMetadata.make(
                    request, context: context, actor: .init(id: "client:\(identity.clientId)", role: "app"),
                    onBehalfOf: identity.subject,
                    action: request.method == .get || request.method == .head ? .read : .execute,
                    subjectUserId: identity.subject)
            }
            guard gate.forwarder != nil else { return try await next(request, context) }
            var headers = request.headers
            headers[Self.header] = nil
            let call = GatewayAccess.Call(
                method: request.method,
                pathAndQuery: request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path,
                headers: headers, body: try await JSONBody.bytes(from: request, bytesMax: bodyBytesMax))
            guard let answer = try await gate.forward(call, as: identity) else { return try await next(request, context) }
            return Response(status: answer.status, headers: answer.headers, body: .init(byteBuffer: answer.body))
        } catch ClearAuthGate.Refusal.origin(let error) {
            throw OAuthError.origin(error)
        } catch let refusal as ClearAuthGate.Refusal {
            throw ClearAuthError(refusal)
        }
    }
}

/// NUT-21's errors in Cashu's shape: `{"detail": …, "code": 30001 | 30002}`.
struct ClearAuthError: HTTPResponseError, SurfaceError {
    var status: HTTPResponse.Status = .unauthorized
    let code: Int
    let detail: String
    var headers: HTTPFields = [:]

    init(code: Int, detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The gate's refusal in NUT-21's shape; an origin failure as the gateway answers one.
    init(_ refusal: ClearAuthGate.Refusal) {
        switch refusal {
        case .missing: self.init(code: 30001, detail: "Endpoint requires clear auth")
        case .failed(let reason): self.init(code: 30002, detail: "Clear authentication failed: \(reason)")
        case .rateLimited(let retryAfterSec): self = Self.rateLimited(retryAfterSec: retryAfterSec)
        case .origin(let error):
            // The middleware answers these as the gateway does; this is only for completeness.
            self.init(code: 30002, detail: error.message)
            status = error.suggestedStatus
        }
    }

    static func rateLimited(retryAfterSec: Int) -> ClearAuthError {
        var error = ClearAuthError(code: 30002, detail: "Too many requests for this user; retry later")
        error.status = .tooManyRequests
        error.headers[.retryAfter] = "\(max(1, retryAfterSec))"
        return error
    }

    struct Body: Encodable {
        var detail: String
        var code: Int
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(status, Body(detail: detail, code: code), headers: headers)
    }
}

/// NUT-06's info, with the NUT-21 block wallets read to find the issuer and the protected endpoints.
struct MintInfoController: Sendable {
    let settings: ClearAuthSettings
    let issuer: String

    func addRoutes(to router: RouterGroup<LedgerRequestContext>) {
        router.get("info", use: info)
    }

    struct InfoJSON: Encodable {
        struct ClearAuthJSON: Encodable {
            var openidDiscovery: String
            var clientId: String
            var protectedEndpoints: [ProtectedEndpoint]

            enum CodingKeys: String, CodingKey {
                case openidDiscovery = "openid_discovery"
                case clientId = "client_id"
                case protectedEndpoints = "protected_endpoints"
            }
        }
        var name = "GrantLedger"
        var nuts: [String: ClearAuthJSON]
    }

    @Sendable func info(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let discovery: String =
            switch settings.issuer {
            case .own: "\(issuer)/.well-known/openid-configuration"
            case .external(_, let url): url
            }
        return try JSONResponse.make(
            .ok,
            InfoJSON(
                nuts: [
                    "21": .init(
                        openidDiscovery: discovery, clientId: settings.clientId,
                        protectedEndpoints: settings.endpoints.endpoints)
                ]))
    }
}
