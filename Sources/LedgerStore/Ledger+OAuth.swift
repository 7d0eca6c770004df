import GRDB
import LedgerCore

/// An access token's row with everything a check needs: the token with its connection read in one
/// snapshot, its client in another (a client is only ever deleted, never brought back).
public struct AccessTokenRecord: Sendable {
    public var token: TokensProjection.Token
    public var connection: Connection
    public var client: OAuthClient?
}

extension Ledger {
    public func client(id: String) throws -> OAuthClient? {
        try authorizationRows.clients.row(id) {
            try readOnCallersThread { db in try ClientsProjection.fetch(id: id, db) }
        }
    }

    public func clients(afterId: String?, limit: Int) async throws -> [OAuthClient] {
        try readOnCallersThread { db in try ClientsProjection.list(afterId: afterId, limit: limit, db) }
    }

    public func pendingGrant(codeSha256: String) throws -> PendingGrant? {
        try readOnCallersThread { db in try OAuthCodesProjection.fetch(codeSha256: codeSha256, db) }
    }

    public func pendingGrant(userCodeSha256: String) throws -> PendingGrant? {
        try readOnCallersThread { db in try OAuthCodesProjection.fetch(userCodeSha256: userCodeSha256, db) }
    }

    public func grantOrigin(connectionId: String) throws -> PendingGrant? {
        try readOnCallersThread { db in try OAuthCodesProjection.fetch(connectionId: connectionId, db) }
    }

    public func refreshToken(sha256: String) throws -> RefreshTokenState? {
        try readOnCallersThread { db in try RefreshTokensProjection.fetch(tokenSha256: sha256, db) }
    }

    /// The token, its connection and (for OAuth tokens) its client, each as kept
    /// (`AuthorizationRowCache`) or read.
    public func accessToken(jti: String) throws -> AccessTokenRecord? {
        guard let (token, connection) = try tokenWithConnection(jti: jti) else { return nil }
        return AccessTokenRecord(token: token, connection: connection, client: try token.clientId.flatMap(client(id:)))
    }
}
