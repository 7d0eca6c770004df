import LedgerApp
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore

extension Request {
    /// The token of `Authorization: Bearer <token>`, if the header has that form and a sane size.
    var bearerToken: Substring? {
        guard let header = headers[.authorization], header.utf8.count <= 8192,
            let token = AuthorizationHeader.credentials(header, scheme: "bearer")
        else { return nil }
        return token.isEmpty ? nil : token
    }
}

/// Guards `/admin/…`: the bearer token's SHA-256 must equal the stored digest.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let credential: AdminCredentialDigest

    init(tokenSha256Hex: String) {
        self.credential = AdminCredentialDigest(hex: tokenSha256Hex)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let token = request.bearerToken, credential.matches(bearer: token) else { throw APIError.unauthorized }
        return try await next(request, context)
    }
}
