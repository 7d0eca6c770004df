import LedgerApp
import HTTPTypes
import Hummingbird

/// Which methods each known path answers: the router's own routes plus the gateway's table.
struct AllowedMethods: Sendable {
    /// Bounded by the routes this build registers and the gateway table's own limit.
    let routes: [(path: RouterPath, method: HTTPRequest.Method)]

    /// The methods of every route whose pattern matches `path`, in a stable order.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var found: [HTTPRequest.Method] = []
        for route in routes where Self.matches(route.path, segments) && !found.contains(route.method) {
            found.append(route.method)
        }
        return found.sorted { $0.rawValue < $1.rawValue }
    }

    static func matches(_ pattern: RouterPath, _ segments: [Substring]) -> Bool {
        var index = 0
        for element in pattern.components {
            if element.description == "**" { return true }
            guard index < segments.count, element ~= segments[index] else { return false }
            index += 1
        }
        return index == segments.count
    }
}

/// RFC 9110 §15.5.6: a known path asked with a method it does not answer is 405 with `Allow`, not
/// the 404 of a path that does not exist. Added to the router last, so it wraps only the router's
/// not-found responder; the error middleware renders it in the surface's own error shape.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowed: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let methods = allowed.methods(for: request.uri.path)
            guard !methods.isEmpty, !methods.contains(request.method) else { throw error }
            let allow = methods.map(\.rawValue).joined(separator: ", ")
            var headers = HTTPFields()
            headers[.allow] = allow
            throw HTTPError(
                .methodNotAllowed, headers: headers,
                message: "\(request.method.rawValue.prefix(32)) is not allowed here; this path answers \(allow)")
        }
    }
}
