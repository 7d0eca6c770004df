import LedgerApp
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore

/// The admin credential as the server holds it: a SHA-256 digest, compared in constant time so
/// the answer's timing says nothing about how close a guess was.
struct AdminCredentialDigest: Sendable {
    let sha256: Data

    init(hex: String) { sha256 = Data(Hex.decode(hex) ?? []) }

    func matches(bearer token: some StringProtocol) -> Bool {
        let presented = Data(SHA256.hash(data: Data(token.utf8)))
        return sha256.count == presented.count && zip(sha256, presented).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
    }
}

extension Request {
    /// The token of `Authorization: Bearer <token>`, if the header has that form and a sane size.
    var bearerToken: Substring? {
        guard let header = headers[.authorization], header.utf8.count <= 8192,
            header.lowercased().hasPrefix("bearer ")
        else { return nil }
        let token = header.dropFirst("bearer ".count).drop(while: { $0 == " " })
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
