import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerCore
import NIOCore

/// The gateway's routes, registered from the route table (`{name}` segments become router
/// parameters): read the call, hand it to `GatewayAccess`, answer the origin's response or the
/// gateway's refusal (RFC 6750 challenges, 402, 502/504).
struct GatewayController {
    let access: GatewayAccess
    let bodyBytesMax: Int

    func addRoutes(to router: RouterGroup<LedgerRequestContext>) {
        for route in access.settings.routes.routes {
            guard let method = HTTPRequest.Method(route.method) else { continue }
            router.on(RouterPath(route.path), method: method) { request, context in
                try await handle(route, request, context)
            }
        }
    }

    /// The table's routes as the router names them, for spotting a clash with a route of ours.
    static func routerPaths(_ table: GatewayRouteTable) -> [(path: RouterPath, method: HTTPRequest.Method)] {
        table.routes.compactMap { route in HTTPRequest.Method(route.method).map { (RouterPath(route.path), $0) } }
    }

    private func handle(_ route: GatewayRoute, _ request: Request, _ context: LedgerRequestContext) async throws
        -> Response
    {
        let body: Data
        do {
            body = try await JSONBody.bytes(from: request, bytesMax: bodyBytesMax)
        } catch let error as APIError where error.status == .contentTooLarge {
            // The gateway answers in OAuth's shape (RFC 6749 §5.2), not the admin API's.
            throw OAuthError(.contentTooLarge, "invalid_request", error.message)
        }
        let call = GatewayAccess.Call(
            method: request.method,
            pathAndQuery: request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path,
            headers: request.headers, body: body)
        let answer = try await access.handle(route, bearer: request.bearerToken.map(String.init), call) {
            authorized in
            RequestMetadata.make(
                request, context: context, actor: .init(id: "client:\(authorized.clientId)", role: "app"),
                onBehalfOf: authorized.connection.userId, action: route.spend == nil ? .read : .execute,
                subjectUserId: authorized.connection.userId)
        }
        return Response(status: answer.status, headers: answer.headers, body: .init(byteBuffer: answer.body))
    }
}
