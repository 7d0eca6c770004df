import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore

/// An OAuth access token that passed every check, with its grant.
package struct AuthorizedAccess: Sendable {
    package var claims: AccessTokenClaims
    package var record: AccessTokenRecord
    package var connection: Connection { record.connection }
    package var clientId: String { claims.client_id }
}

/// DESIGN §5 for OAuth access tokens: signature, `alg`, `typ`, `exp`, `iss`, `aud`, then the
/// ledger: the token row (not revoked), its grant (active, not expired) and its client (not deleted).
package struct AccessTokenCheck: Sendable {
    package let ledger: Ledger
    package let tokens: AccessTokens

    package init(ledger: Ledger, tokens: AccessTokens) {
        self.ledger = ledger
        self.tokens = tokens
    }

    package func check(_ token: some StringProtocol) async throws(TokenVerificationError) -> AuthorizedAccess {
        let claims = try await tokens.verify(String(token), now: ledger.clock())
        let record: AccessTokenRecord?
        do {
            record = try ledger.accessToken(jti: claims.jtiValue)
        } catch {
            throw TokenVerificationError(reason: "the ledger cannot be read")
        }
        guard let record, record.token.kind == OAuthTokenKind.access, record.token.clientId == claims.client_id else {
            throw TokenVerificationError(reason: "this token is not known to the ledger")
        }
        guard record.token.revokedAtMs == nil, record.connection.status == .active else {
            throw TokenVerificationError(reason: "the token has been revoked")
        }
        guard !record.connection.isExpired(atMs: ledger.nowMs) else {
            throw TokenVerificationError(reason: "the grant has expired")
        }
        guard let client = record.client, client.status == .active else {
            throw TokenVerificationError(reason: "the client has been deleted")
        }
        return AuthorizedAccess(claims: claims, record: record)
    }
}
