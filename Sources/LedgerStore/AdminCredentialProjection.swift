import GRDB
import LedgerCore

/// The current admin credential digest: the one row `admin_credentials` ever has.
public struct AdminCredentialProjection: Projection {
    public let name = "admin_credentials"
    public var tables: [(name: String, orderBy: String)] { [("admin_credentials", "id")] }

    public init() {}

    public func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws {
        guard event.type == AdminCredentialSet.type else { return }
        let set = try (typed as? AdminCredentialSet) ?? event.payload.decode(as: AdminCredentialSet.self)
        try db.execute(
            sql: "INSERT OR REPLACE INTO admin_credentials (id, token_sha256, set_at_ms) VALUES (1, ?, ?)",
            arguments: [set.tokenSha256, set.setAtMs])
    }

    public static func current(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT token_sha256 FROM admin_credentials WHERE id = 1")
    }
}
