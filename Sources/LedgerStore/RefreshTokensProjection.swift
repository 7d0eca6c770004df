import GRDB
import LedgerCore

/// The `refresh_tokens` table, by digest. A revoked connection takes its whole family with it.
public struct RefreshTokensProjection: Projection {
    public let name = "refresh_tokens"
    public var tables: [(name: String, orderBy: String)] { [("refresh_tokens", "token_sha256")] }

    public init() {}

    /// Folds with `GrantDecider.evolve`. A revoked connection revokes every active token of its
    /// family in one statement: the same evolution, applied to each row it concerns.
    public func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws {
        guard let grantEvent = try domainEvent(typed, event, GrantEvent.init, GrantEvent.init) else { return }
        switch grantEvent {
        case .refreshIssued:
            guard let issued = GrantDecider.evolve(RefreshTokenState?.none, grantEvent) else { return }
            try db.cachedStatement(
                sql: """
                    INSERT INTO refresh_tokens (token_sha256, connection_id, client_id, user_id, scopes, status,
                      issued_at_ms, expires_at_ms, auth_time_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                issued.tokenSha256, issued.connectionId, issued.clientId, issued.userId,
                issued.scopes.joined(separator: " "), issued.status.rawValue, issued.issuedAtMs, issued.expiresAtMs,
                issued.authTimeMs,
            ])
        case .refreshRotated(let e):
            guard let current = try Self.fetch(tokenSha256: e.tokenSha256, db),
                let next = GrantDecider.evolve(current, grantEvent)
            else { return }
            try db.cachedStatement(sql: "UPDATE refresh_tokens SET status = ? WHERE token_sha256 = ?")
                .execute(arguments: [next.status.rawValue, e.tokenSha256])
        case .connection(.revoked(let e)):
            try db.cachedStatement(
                sql: "UPDATE refresh_tokens SET status = ? WHERE connection_id = ? AND status = ?"
            ).execute(arguments: [
                RefreshTokenState.Status.revoked.rawValue, e.connectionId, RefreshTokenState.Status.active.rawValue,
            ])
        default:
            return
        }
    }

    public static func fetch(tokenSha256: String, _ db: Database) throws -> RefreshTokenState? {
        try Row.fetchFirst(
            db.cachedStatement(sql: "SELECT * FROM refresh_tokens WHERE token_sha256 = ?"), arguments: [tokenSha256]
        ) { row in
            let scopes: String = row["scopes"]
            return RefreshTokenState(
                tokenSha256: row["token_sha256"], connectionId: row["connection_id"], clientId: row["client_id"],
                userId: row["user_id"], scopes: scopes.split(separator: " ").map(String.init),
                status: RefreshTokenState.Status(rawValue: row["status"]) ?? .revoked,
                issuedAtMs: row["issued_at_ms"], expiresAtMs: row["expires_at_ms"], authTimeMs: row["auth_time_ms"])
        }
    }
}
