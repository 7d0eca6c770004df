import Hummingbird
import LedgerApp
import LedgerAuth

/// The transport half of `ConnectionAccess` for the NWC surfaces: the bearer token from the
/// request, and a refusal answered as UMA's `UNAUTHORIZED`.
struct NWCAuthenticator: Sendable {
    let access: ConnectionAccess

    func bearer(_ request: Request) throws -> String {
        guard let token = request.bearerToken else {
            throw UMAError.unauthorized("send the token as Authorization: Bearer <token>")
        }
        return String(token)
    }

    func connection(_ request: Request) async throws -> AuthorizedConnection {
        try await refused { try await access.connection(token: try bearer(request)) }
    }

    func user(_ request: Request) async throws -> UserIdentity {
        try await refused { try await access.user(token: try bearer(request)) }
    }

    func caller(_ request: Request, allowUser: Bool) async throws -> Caller {
        try await refused { try await access.caller(token: try bearer(request), allowUser: allowUser) }
    }

    private func refused<T>(_ check: () async throws -> T) async throws -> T {
        do {
            return try await check()
        } catch let refusal as AccessRefused {
            throw UMAError.unauthorized(refusal.reason)
        }
    }
}
