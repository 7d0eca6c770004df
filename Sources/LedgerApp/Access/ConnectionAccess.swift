import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore
import LedgerWallet

/// A long-lived connection token that passed every check, with the connection it names.
package struct AuthorizedConnection: Sendable {
    package var claims: ConnectionTokenClaims
    package var connection: Connection
    package var user: WalletUser { WalletUser(userId: connection.userId, address: claims.address) }
}

/// Who is calling a `/v1` or `/umanwc` operation.
package enum Caller: Sendable {
    case admin
    case connection(AuthorizedConnection)
    case user(UserIdentity)
}

/// Why a credential was not accepted, in words the caller can act on.
package struct AccessRefused: Error, Sendable, Equatable {
    package var reason: String
    package init(_ reason: String) { self.reason = reason }
}

/// Tells the three bearer credentials of the NWC surfaces apart and checks each fully (DESIGN §5):
/// the admin credential by digest; our own connection tokens by signature, `alg`, `exp`, `iss`,
/// `aud`, then the ledger's token and connection rows; the operator's short-lived user tokens by
/// the trusted issuer keys.
package struct ConnectionAccess: Sendable {
    package let ledger: Ledger
    package let tokens: ConnectionTokens
    package let trustedIssuers: TrustedIssuers?
    package let admin: AdminCredentialDigest

    package init(
        ledger: Ledger, tokens: ConnectionTokens, trustedIssuers: TrustedIssuers?, admin: AdminCredentialDigest
    ) {
        self.ledger = ledger
        self.tokens = tokens
        self.trustedIssuers = trustedIssuers
        self.admin = admin
    }

    private var now: Date { ledger.clock() }

    /// Throws `AccessRefused`, or what the ledger could not read.
    package func connection(token: String) async throws -> AuthorizedConnection {
        let claims: ConnectionTokenClaims
        do {
            claims = try await tokens.verify(token, now: now)
        } catch {
            throw AccessRefused(error.reason)
        }
        guard let (row, connection) = try await ledger.token(jti: claims.jtiValue), row.connectionId == claims.cnx
        else { throw AccessRefused("this token is not known to the ledger") }
        guard row.revokedAtMs == nil, connection.status == .active else {
            throw AccessRefused("the connection has been revoked")
        }
        guard !connection.isExpired(atMs: ledger.nowMs) else { throw AccessRefused("the connection has expired") }
        return AuthorizedConnection(claims: claims, connection: connection)
    }

    package func user(token: String) async throws(AccessRefused) -> UserIdentity {
        guard let trustedIssuers else {
            throw AccessRefused("no trusted issuer is configured: start with --trusted-issuer-key")
        }
        do {
            return try await trustedIssuers.verify(token, now: now)
        } catch {
            throw AccessRefused(error.reason)
        }
    }

    /// Admin credential, a connection token, or (when `allowUser`) a user token. A JWT whose `kid`
    /// names one of our keys is a connection token; any other JWT is tried as a user token.
    package func caller(token: String, allowUser: Bool) async throws -> Caller {
        if admin.matches(bearer: token) { return .admin }
        if !allowUser || tokens.signedHere(token) { return .connection(try await connection(token: token)) }
        return .user(try await user(token: token))
    }

    /// Whether the token is one this server signed (a connection token, not a user's).
    package func signedHere(_ token: String) -> Bool { tokens.signedHere(token) }
}
