import Foundation
import GRDB
import LedgerCore

/// The `connections` table: one row per connection, folded with `ConnectionDecider.evolve`.
public struct ConnectionsProjection: Projection {
    public let name = "connections"
    public var tables: [(name: String, orderBy: String)] { [("connections", "id")] }

    public init() {}

    public func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws {
        // Both initialisers answer nil for other domains' events, without decoding them.
        guard let connectionEvent = try domainEvent(typed, event, ConnectionEvent.init, ConnectionEvent.init) else {
            return
        }
        let id = connectionEvent.connectionId
        let current: Connection? =
            if case .granted = connectionEvent { nil } else { try Self.fetch(id: id, db) }
        guard let next = ConnectionDecider.evolve(current, connectionEvent, version: event.streamVersion) else { return }
        try Self.save(next, db)
    }

    public static func fetch(id: String, _ db: Database) throws -> Connection? {
        try Row.fetchFirst(db.cachedStatement(sql: "SELECT * FROM connections WHERE id = ?"), arguments: [id], connection(from:))
    }

    public static func list(userId: String?, status: Connection.Status?, afterId: String?, limit: Int, _ db: Database)
        throws -> [Connection]
    {
        let (sql, arguments) = listStatement(userId: userId, status: status, afterId: afterId, limit: limit)
        return try Row.fetchEach(db.makeStatement(sql: sql), arguments: arguments, connection(from:))
    }

    /// A page of connections in id order: a user's through `connections_by_user`, the rest by
    /// status through `connections_by_status` (projections_v12). With a user, the status is
    /// written `+status` so that SQLite does not read it through its index instead: with no
    /// statistics it took the two for equals and walked every connection of the status.
    static func listStatement(userId: String?, status: Connection.Status?, afterId: String?, limit: Int)
        -> (String, StatementArguments)
    {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let userId {
            clauses.append("user_id = ?")
            arguments += [userId]
        }
        if let status {
            clauses.append(userId == nil ? "status = ?" : "+status = ?")
            arguments += [status.rawValue]
        }
        if let afterId {
            clauses.append("id > ?")
            arguments += [afterId]
        }
        arguments += [limit]
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return ("SELECT * FROM connections \(whereClause) ORDER BY id LIMIT ?", arguments)
    }

    static func save(_ c: Connection, _ db: Database) throws {
        // Scopes cannot contain spaces (ConnectionRules), so the OAuth-style space-separated form
        // is unambiguous, and much cheaper than JSON on the writer's path.
        let scopes = c.scopes.joined(separator: " ")
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO connections (id, user_id, name, scopes, budget_amount, budget_currency,
                  budget_period, expires_at, status, created_at_ms, updated_at_ms, revoked_at_ms, version,
                  budget_window, budget_time_zone, budget_anchor_ms, client_id, budget_max_per_payment)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            c.id, c.userId, c.name, scopes, c.budget?.amount, c.budget?.currency, c.budget?.period.rawValue,
            c.expiresAtSec, c.status.rawValue, c.createdAtMs, c.updatedAtMs, c.revokedAtMs, c.version,
            c.budget?.window?.rawValue, c.budget?.timeZone, c.budgetAnchorMs, c.clientId, c.budget?.maxPerPayment,
        ])
    }

    static func connection(from row: Row) throws -> Connection {
        let scopesText: String = row["scopes"]
        let scopes = scopesText.split(separator: " ").map(String.init)
        var budget: BudgetDefinition?
        if let amount: Int64 = row["budget_amount"], let currency: String = row["budget_currency"],
            let periodText: String = row["budget_period"], let period = BudgetPeriod(rawValue: periodText)
        {
            let windowText: String? = row["budget_window"]
            budget = BudgetDefinition(
                amount: amount, currency: currency, period: period,
                window: windowText.flatMap(BudgetWindowStyle.init(rawValue:)), timeZone: row["budget_time_zone"],
                maxPerPayment: row["budget_max_per_payment"])
        }
        return Connection(
            id: row["id"], userId: row["user_id"], name: row["name"], scopes: scopes, budget: budget,
            expiresAtSec: row["expires_at"], status: Connection.Status(rawValue: row["status"]) ?? .revoked,
            createdAtMs: row["created_at_ms"], updatedAtMs: row["updated_at_ms"], revokedAtMs: row["revoked_at_ms"],
            version: row["version"], budgetAnchorMs: row["budget_anchor_ms"], clientId: row["client_id"])
    }
}
