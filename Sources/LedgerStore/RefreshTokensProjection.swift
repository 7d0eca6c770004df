import GRDB
import LedgerCore

/// The `refresh_tokens` table, by digest. A revoked connection takes its whole family with it.
public struct RefreshTokensProjection: Projection {
    public let name = "refresh_tokens"
    public var tables: [(name: String, orderBy: String)] { [("refresh_tokens", "token_sha256")] }

    public init() {}

    public func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws {
        switch event.type {
        case RefreshTokenIssued.type:
            let e = try (typed as? RefreshTokenIssued) ?? event.payload.decode(as: RefreshTokenIssued.self)
            try db.cachedStatement(
                sql: """
                    INSERT INTO refresh_tokens (token_sha256, connection_id, client_id, user_id, scopes, status,
                      issued_at_ms, expires_at_ms)
                    VALUES (?, ?, ?, ?, ?, 'active', ?, ?)
                    """
            ).execute(arguments: [
                e.tokenSha256, e.connectionId, e.clientId, e.userId, e.scopes.joined(separator: " "), e.issuedAtMs,
                e.expiresAtMs,
            ])
        case RefreshTokenRotated.type:
            let e = try (typed as? RefreshTokenRotated) ?? event.payload.decode(as: RefreshTokenRotated.self)
            try db.cachedStatement(sql: "UPDATE refresh_tokens SET status = 'rotated' WHERE token_sha256 = ?")
                .execute(arguments: [e.tokenSha256])
        case ConnectionRevoked.type:
            let e = try (typed as? ConnectionRevoked) ?? event.payload.decode(as: ConnectionRevoked.self)
            try db.cachedStatement(
                sql: "UPDATE refresh_tokens SET status = 'revoked' WHERE connection_id = ? AND status = 'active'"
            ).execute(arguments: [e.connectionId])
        default:
            return
        }
    }

    public static func fetch(tokenSha256: String, _ db: Database) throws -> RefreshTokenState? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM refresh_tokens WHERE token_sha256 = ?"), arguments: [tokenSha256]
        ).map { row in
            let scopes: String = row["scopes"]
            return RefreshTokenState(
                tokenSha256: row["token_sha256"], connectionId: row["connection_id"], clientId: row["client_id"],
                userId: row["user_id"], scopes: scopes.split(separator: " ").map(String.init),
                status: RefreshTokenState.Status(rawValue: row["status"]) ?? .revoked,
                issuedAtMs: row["issued_at_ms"], expiresAtMs: row["expires_at_ms"])
        }
    }
}
