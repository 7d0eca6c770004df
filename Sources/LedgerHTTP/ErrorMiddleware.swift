import LedgerApp
import HTTPTypes
import Hummingbird
import LedgerStore
import Logging

/// Renders every failure in the `{code, message}` shape. Anything not already an `APIError` is a
/// bug or an outage: it is logged with the request id and answered without internal details.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as any SurfaceError {
            throw error
        } catch let error as HTTPError {
            // The NWC surfaces speak UMA's error codes even for the router's own refusals.
            let path = request.uri.path
            if path.hasPrefix("/umanwc/") || path.hasPrefix("/v1/") {
                throw UMAError.fromHTTP(error)
            }
            if path.hasPrefix("/oauth/") {
                var oauthError = OAuthError(error.status, "invalid_request", error.body ?? error.status.reasonPhrase)
                oauthError.headers = error.headers
                throw oauthError
            }
            throw APIError.from(error)
        } catch let error as LedgerError {
            if request.uri.path.hasPrefix("/oauth/") { throw OAuthError.ledger(error) }
            throw APIError.ledger(error)
        } catch let error as any HTTPResponseError where error.status.code < 500 {
            throw APIError.from(HTTPError(error.status))
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)"])
            throw APIError(.internalServerError, code: "internal_error", message: "internal error; see the server log")
        }
    }
}

/// An error already in its surface's own shape (admin/UMA `{code, message}`, OAuth `{error}`,
/// RFC 6750 challenges, NUT-21 `{detail, code}`): passed through untouched.
protocol SurfaceError: HTTPResponseError {}

extension APIError: SurfaceError {}
extension OAuthError: SurfaceError {}
extension BearerChallenge: SurfaceError {}
