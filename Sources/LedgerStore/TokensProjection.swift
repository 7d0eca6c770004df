import GRDB
import LedgerCore

/// The `tokens` table: every token the ledger minted, by `jti`, and whether it still counts.
/// Revoking a connection revokes all of its tokens in the same transaction.
public struct TokensProjection: Projection {
    public let name = "tokens"
    public var tables: [(name: String, orderBy: String)] { [("tokens", "jti")] }

    public init() {}

    public func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws {
        switch event.type {
        case TokenIssued.type:
            let issued = try (typed as? TokenIssued) ?? event.payload.decode(as: TokenIssued.self)
            try db.cachedStatement(
                sql: """
                    INSERT INTO tokens (jti, connection_id, user_id, kind, issued_at_ms, expires_at, revoked_at_ms,
                      client_id, scope)
                    VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)
                    """
            ).execute(arguments: [
                issued.jti, issued.connectionId, issued.userId, issued.kind, issued.issuedAtMs, issued.expiresAtSec,
                issued.clientId, issued.scope,
            ])
        case TokenRevoked.type:
            let revoked = try (typed as? TokenRevoked) ?? event.payload.decode(as: TokenRevoked.self)
            try db.cachedStatement(sql: "UPDATE tokens SET revoked_at_ms = ? WHERE jti = ? AND revoked_at_ms IS NULL")
                .execute(arguments: [revoked.revokedAtMs, revoked.jti])
        case ConnectionRevoked.type:
            let revoked = try (typed as? ConnectionRevoked) ?? event.payload.decode(as: ConnectionRevoked.self)
            try db.cachedStatement(
                sql: "UPDATE tokens SET revoked_at_ms = ? WHERE connection_id = ? AND revoked_at_ms IS NULL"
            ).execute(arguments: [revoked.revokedAtMs, revoked.connectionId])
        default:
            return
        }
    }

    public struct Token: Sendable, Equatable {
        public var jti: String
        public var connectionId: String
        public var userId: String
        public var kind: String
        public var expiresAtSec: Int64
        public var revokedAtMs: Int64?
        public var issuedAtMs: Int64
        public var clientId: String?
        /// Space-separated; OAuth access tokens only.
        public var scope: String?
    }

    public static func fetch(jti: String, _ db: Database) throws -> Token? {
        try Row.fetchFirst(db.cachedStatement(sql: "SELECT * FROM tokens WHERE jti = ?"), arguments: [jti]) {
            Token(
                jti: $0["jti"], connectionId: $0["connection_id"], userId: $0["user_id"], kind: $0["kind"],
                expiresAtSec: $0["expires_at"], revokedAtMs: $0["revoked_at_ms"], issuedAtMs: $0["issued_at_ms"],
                clientId: $0["client_id"], scope: $0["scope"])
        }
    }
}
