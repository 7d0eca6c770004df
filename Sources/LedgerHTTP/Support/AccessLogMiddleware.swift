import Hummingbird
import Logging

/// The access log at debug: method and path only. Hummingbird's `LogRequestsMiddleware` logs the
/// whole URI, and a query may carry a user's JWT (seed 000's `token=`, the login callback), which
/// must never reach a log.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let level: Logger.Level

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        context.logger.log(
            level: level, "Request",
            metadata: ["hb.request.path": .string(request.uri.path), "hb.request.method": .string(request.method.rawValue)])
        return try await next(request, context)
    }
}
