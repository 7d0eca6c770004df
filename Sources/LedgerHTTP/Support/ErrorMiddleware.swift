import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerCore
import LedgerStore
import Logging

/// An error already in its surface's own shape (admin/UMA `{code, message}`, OAuth `{error}`,
/// RFC 6750 challenges, NUT-21 `{detail, code}`): passed through untouched.
protocol SurfaceError: HTTPResponseError {}

extension APIError: SurfaceError {}
extension OAuthError: SurfaceError {}
extension BearerChallenge: SurfaceError {}

/// How one surface answers failures, in its own protocol's error shape.
protocol ErrorShape: Sendable {
    /// The surface's answer to an error a handler threw; nil for one nobody expected.
    static func render(_ error: any Error) -> (any HTTPResponseError)?
    /// A bug or an outage: logged with the request, answered without internal details.
    static var unexpected: any HTTPResponseError { get }
}

/// Renders everything the routes of one surface throw in that surface's shape: mapped once, here,
/// on the surface's router group, not in each handler.
struct SurfaceErrorMiddleware<Shape: ErrorShape>: RouterMiddleware {
    typealias Context = LedgerRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            throw Self.answer(error, context: context)
        }
    }

    static func answer(_ error: any Error, context: Context) -> any Error {
        if error is any SurfaceError { return error }
        if let rendered = Shape.render(error) { return rendered }
        context.logger.error("unhandled error", metadata: ["error": "\(error)"])
        return Shape.unexpected
    }
}

/// The router's own answers for paths no route matches (404, and 405 for a known path asked with
/// another method), in the shape of the surface whose prefix the path falls under: the prefixes
/// are the surfaces' router groups, registered as they are built.
struct UnroutedErrorMiddleware: RouterMiddleware {
    typealias Context = LedgerRequestContext

    /// Longest prefix first.
    let surfaces: [(prefix: String, shape: any ErrorShape.Type)]
    let fallback: any ErrorShape.Type

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as any SurfaceError {
            throw error
        } catch {
            let path = request.uri.path
            let shape =
                surfaces.first { path == $0.prefix || path.hasPrefix($0.prefix + "/") }?.shape ?? fallback
            if let rendered = shape.render(error) { throw rendered }
            throw shape.unexpected
        }
    }
}

// MARK: The surfaces' shapes

/// Admin and operations: `{"code", "message"}` with snake_case codes.
enum AdminErrors: ErrorShape {
    static func render(_ error: any Error) -> (any HTTPResponseError)? {
        switch error {
        case let error as HTTPError: APIError.from(error)
        case let error as LedgerError: APIError.ledger(error)
        case let error as ValidationError: APIError.validation(error)
        case let rejection as Rejection: APIError.rejection(rejection)
        case let error as any HTTPResponseError where error.status.code < 500: APIError.from(HTTPError(error.status))
        default: nil
        }
    }

    static var unexpected: any HTTPResponseError {
        APIError(.internalServerError, code: "internal_error", message: "internal error; see the server log")
    }
}

/// The UMA Auth API and the budget service: UMA's `{"code", "message"}` with NIP-47 codes.
enum UMAErrors: ErrorShape {
    static func render(_ error: any Error) -> (any HTTPResponseError)? {
        switch error {
        case let refusal as UMARefusal: UMAError.refusal(refusal)
        case let refusal as AccessRefused: UMAError.unauthorized(refusal.reason)
        case let error as HTTPError: UMAError.fromHTTP(error)
        case let error as LedgerError: APIError.ledger(error)
        case let error as any HTTPResponseError where error.status.code < 500: UMAError.fromHTTP(HTTPError(error.status))
        default: nil
        }
    }

    static var unexpected: any HTTPResponseError {
        APIError(.internalServerError, code: "INTERNAL", message: "internal error; see the server log")
    }
}

/// Seed 000's token exchange: `{"error": "..."}`.
enum TokenExchangeErrors: ErrorShape {
    static func render(_ error: any Error) -> (any HTTPResponseError)? {
        switch error {
        case let error as HTTPError: UMATokenController.error(error.status, error.body ?? error.status.reasonPhrase)
        case let error as LedgerError:
            UMATokenController.error(APIError.ledger(error).status, "the connection could not be recorded; retry")
        default: nil
        }
    }

    static var unexpected: any HTTPResponseError {
        UMATokenController.error(.internalServerError, "internal error; see the server log")
    }
}

/// OAuth 2 (RFC 6749 §5.2): `{"error", "error_description"}`.
enum OAuthErrors: ErrorShape {
    static func render(_ error: any Error) -> (any HTTPResponseError)? {
        switch error {
        case let error as HTTPError:
            var oauthError = OAuthError(error.status, "invalid_request", error.body ?? error.status.reasonPhrase)
            oauthError.headers = error.headers
            return oauthError
        case let refusal as OAuthRefusal: return OAuthError(refusal)
        case let error as LedgerError: return OAuthError.ledger(error)
        default: return nil
        }
    }

    static var unexpected: any HTTPResponseError {
        OAuthError(.internalServerError, "server_error", "internal error; see the server log")
    }
}

/// The gateway: RFC 6750 challenges, 402 `quota_exceeded`, 502/504 `origin_*`, OAuth's shape otherwise.
enum GatewayErrors: ErrorShape {
    static func render(_ error: any Error) -> (any HTTPResponseError)? {
        switch error {
        case let refusal as GatewayAccess.Refusal:
            switch refusal {
            case .missingToken: BearerChallenge.missing
            case .invalidToken(let reason): BearerChallenge.invalidToken(reason)
            case .insufficientScope(let scope): BearerChallenge.insufficientScope(scope)
            case .quotaExceeded(let message): OAuthError(.init(code: 402), "quota_exceeded", message)
            case .invalidRequest(let message): OAuthError.invalidRequest(message)
            case .origin(let forwardError): OAuthError.origin(forwardError)
            case .conflict(let message): OAuthError(.conflict, "invalid_request", message)
            }
        case let error as LedgerError: OAuthError(.serviceUnavailable, "temporarily_unavailable", error.message)
        default: OAuthErrors.render(error)
        }
    }

    static var unexpected: any HTTPResponseError { OAuthErrors.unexpected }
}
