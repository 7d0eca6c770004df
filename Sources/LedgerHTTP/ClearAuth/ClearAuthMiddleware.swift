import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore
import NIOCore

/// NUT-21: a request to a protected endpoint needs `Clear-auth: <JWT>` from the configured OpenID
/// issuer, for the configured client. Endpoints match exactly or by prefix (`/v1/mint/*`), never
/// by regular expression. A request that passes is forwarded to the gateway's origin (the mint)
/// as the token's `sub`, or handed on to the router when there is no origin.
struct ClearAuthMiddleware: RouterMiddleware {
    typealias Context = LedgerRequestContext

    let settings: ClearAuthSettings
    let access: AccessTokenCheck
    let limiter: SubjectRateLimiter
    let forwarder: GatewayForwarder?
    let bodyBytesMax: Int

    static let header = HTTPField.Name("Clear-auth")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard settings.endpoints.matches(method: request.method.rawValue, path: request.uri.path) else {
            return try await next(request, context)
        }
        guard let token = request.headers[Self.header], !token.isEmpty else {
            throw ClearAuthError(code: 30001, detail: "Endpoint requires clear auth")
        }
        let identity: ClearAuthIdentity
        do {
            identity = try await verify(token)
        } catch {
            throw ClearAuthError(code: 30002, detail: "Clear authentication failed: \(error.reason)")
        }
        let (allowed, retryAfterSec) = limiter.allow(identity.subject)
        guard allowed else { throw ClearAuthError.rateLimited(retryAfterSec: retryAfterSec) }
        guard let forwarder else { return try await next(request, context) }
        let body = try await JSONBody.bytes(from: request, bytesMax: bodyBytesMax)
        var headers = request.headers
        headers[Self.header] = nil
        do {
            return try GatewayMiddleware.response(
                try await forwarder.forward(
                    request, headers: headers, body: body, userId: identity.subject, clientId: identity.clientId,
                    scopes: []))
        } catch let error as GatewayForwardError {
            throw OAuthError.origin(error)
        }
    }

    private func verify(_ token: String) async throws(TokenVerificationError) -> ClearAuthIdentity {
        switch settings.issuer {
        case .own:
            let checked = try await access.check(token)
            guard checked.clientId == settings.clientId else {
                throw TokenVerificationError(reason: "the token was issued to another client")
            }
            return ClearAuthIdentity(
                subject: checked.claims.subjectValue, clientId: checked.clientId, jti: checked.claims.jtiValue,
                expiresAt: checked.claims.expiresAt)
        case .external(let verifier, _):
            return try await verifier.verify(token, now: access.ledger.clock())
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

    func addRoutes(to router: Router<LedgerRequestContext>) {
        router.get("v1/info", use: info)
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
