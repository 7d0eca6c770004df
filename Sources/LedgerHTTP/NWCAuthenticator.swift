import LedgerApp
import Foundation
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore
import LedgerWallet

/// A long-lived connection token that passed every check, with the connection it names.
struct AuthorizedConnection: Sendable {
    var claims: ConnectionTokenClaims
    var connection: Connection
    var user: WalletUser { WalletUser(userId: connection.userId, address: claims.address) }
}

/// Who is calling a `/v1` or `/umanwc` route.
enum Caller: Sendable {
    case admin
    case connection(AuthorizedConnection)
    case user(UserIdentity)
}

/// Tells the three bearer credentials apart and checks each fully (DESIGN §5): the admin
/// credential by digest; our own tokens by signature, `alg`, `exp`, `iss`, `aud`, then the
/// revocation projection; the operator's short-lived user tokens by the trusted issuer keys.
struct NWCAuthenticator: Sendable {
    let ledger: Ledger
    let tokens: ConnectionTokens
    let trustedIssuers: TrustedIssuers?
    let admin: AdminCredentialDigest

    private var now: Date { ledger.clock() }

    func bearer(_ request: Request) throws -> Substring {
        guard let token = request.bearerToken else {
            throw UMAError.unauthorized("send the token as Authorization: Bearer <token>")
        }
        return token
    }

    func connection(_ request: Request) async throws -> AuthorizedConnection {
        try await connection(token: String(try bearer(request)))
    }

    func connection(token: String) async throws -> AuthorizedConnection {
        let claims: ConnectionTokenClaims
        do {
            claims = try await tokens.verify(token, now: now)
        } catch {
            throw UMAError.unauthorized(error.reason)
        }
        guard let (row, connection) = try await ledger.token(jti: claims.jtiValue), row.connectionId == claims.cnx
        else { throw UMAError.unauthorized("this token is not known to the ledger") }
        guard row.revokedAtMs == nil, connection.status == .active else {
            throw UMAError.unauthorized("the connection has been revoked")
        }
        guard !connection.isExpired(atMs: ledger.nowMs) else {
            throw UMAError.unauthorized("the connection has expired")
        }
        return AuthorizedConnection(claims: claims, connection: connection)
    }

    func user(_ request: Request) async throws -> UserIdentity {
        try await user(token: String(try bearer(request)))
    }

    func user(token: String) async throws -> UserIdentity {
        guard let trustedIssuers else {
            throw UMAError.unauthorized("no trusted issuer is configured: start with --trusted-issuer-key")
        }
        do {
            return try await trustedIssuers.verify(token, now: now)
        } catch {
            throw UMAError.unauthorized(error.reason)
        }
    }

    /// Admin credential, a connection token, or (when `allowUser`) a user token. A JWT whose `kid`
    /// names one of our keys is a connection token; any other JWT is tried as a user token.
    func caller(_ request: Request, allowUser: Bool) async throws -> Caller {
        let token = try bearer(request)
        if admin.matches(bearer: token) { return .admin }
        if !allowUser || tokens.signedHere(String(token)) {
            return .connection(try await connection(token: String(token)))
        }
        return .user(try await user(token: String(token)))
    }
}
