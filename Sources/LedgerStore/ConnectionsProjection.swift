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
        guard let next = ConnectionDecider.evolve(current, connectionEvent, version: event.streamVersion) else {
            return
        }
        try Self.save(next, db)
    }

    public static func fetch(id: String, _ db: Database) throws -> Connection? {
        try db.cachedStatement(sql: byIdSQL).readFirst(.text(id), body: connection(from:))
    }

    public static func list(userId: String?, status: Connection.Status?, afterId: String?, limit: Int, _ db: Database)
        throws -> [Connection]
    {
        let (sql, arguments) = listStatement(userId: userId, status: status, afterId: afterId, limit: limit)
        return try db.makeStatement(sql: sql).readEach(arguments: arguments, body: connection(from:))
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
        return ("SELECT \(columnList) FROM connections \(whereClause) ORDER BY id LIMIT ?", arguments)
    }

    static func save(_ c: Connection, _ db: Database) throws {
        // Scopes cannot contain spaces (ConnectionRules), so the OAuth-style space-separated form
        // is unambiguous, and much cheaper than JSON on the writer's path.
        let scopes = c.scopes.joined(separator: " ")
        try db.cachedStatement(sql: saveSQL).execute(arguments: [
            c.id, c.userId, c.name, scopes, c.budget?.amount, c.budget?.currency, c.budget?.period.rawValue,
            c.expiresAtSec, c.status.rawValue, c.createdAtMs, c.updatedAtMs, c.revokedAtMs, c.version,
            c.budget?.window?.rawValue, c.budget?.timeZone, c.budgetAnchorMs, c.clientId, c.budget?.maxPerPayment,
        ])
    }

    /// The columns a row is saved with and read by, in this order (`connection(from:)` reads them
    /// by position).
    static let columns = [
        "id", "user_id", "name", "scopes", "budget_amount", "budget_currency", "budget_period", "expires_at", "status",
        "created_at_ms", "updated_at_ms", "revoked_at_ms", "version", "budget_window", "budget_time_zone",
        "budget_anchor_ms", "client_id", "budget_max_per_payment",
    ]
    static let columnList = columns.joined(separator: ", ")
    static let saveSQL =
        "INSERT OR REPLACE INTO connections (\(columnList)) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"

    static let byIdSQL = "SELECT \(columnList) FROM connections WHERE id = ?"

    /// A row of `columnList`.
    static func connection(from row: SQLiteColumns) -> Connection {
        // Split as bytes: scopes are ASCII (`ConnectionRules`), and splitting by Characters
        // (grapheme breaking) was half of reading a connection in a keysend load's profile.
        let scopes = row.text(3).utf8.split(separator: UInt8(ascii: " ")).map { String(Substring($0)) }
        var budget: BudgetDefinition?
        if let amount = row.optionalInt64(4), let currency = row.optionalText(5),
            let periodText = row.optionalText(6), let period = BudgetPeriod(rawValue: periodText)
        {
            budget = BudgetDefinition(
                amount: amount, currency: currency, period: period,
                window: row.optionalText(13).flatMap(BudgetWindowStyle.init(rawValue:)), timeZone: row.optionalText(14),
                maxPerPayment: row.optionalInt64(17))
        }
        return Connection(
            id: row.text(0), userId: row.text(1), name: row.text(2), scopes: scopes, budget: budget,
            expiresAtSec: row.optionalInt64(7), status: Connection.Status(rawValue: row.text(8)) ?? .revoked,
            createdAtMs: row.int64(9), updatedAtMs: row.int64(10), revokedAtMs: row.optionalInt64(11),
            version: row.int64(12), budgetAnchorMs: row.optionalInt64(15), clientId: row.optionalText(16))
    }
}
