import GRDB

/// event_idempotency_v1: the idempotency key indexed where an event has one (issue 15's bytes
/// per event; schema/event_idempotency_v1.sql says why).
extension Schema {
    /// How event_log_v1 declares the column, and the same without its UNIQUE.
    static let idempotencyKeyDeclared =
        #"idempotency_key TEXT    UNIQUE,              -- "<actor>:<key>", on the first event of a command"#
    static let idempotencyKeyUndeclared =
        #"idempotency_key TEXT,                    -- "<actor>:<key>", on the first event of a command; unique where set (events_idempotency)"#

    /// Takes the UNIQUE out of `events`' declaration and keeps its index as a named one,
    /// `events_idempotency_v0`, by editing `sqlite_master` as `editTable` does: a constraint of a
    /// table's declaration cannot be dropped otherwise, and copying the log into a new table
    /// rewrites every page of it (15 s for a million rows, against goal 5's 5 s for an upgrade).
    /// SQLite names a declaration's indexes in the order of its constraints (event_id's 1, the
    /// key's 2, (stream, stream_version)'s 3), and reading the declaration without the key's it
    /// names (stream, stream_version)'s 2: the stored one is renamed to match. Anything not as
    /// event_log_v1 made it is refused untouched. Then event_idempotency_v1.sql replaces the
    /// named index by one of the keys alone.
    static func indexOnlyIdempotencyKeys(_ db: Database) throws {
        func columns(_ index: String) throws -> [String] {
            try String.fetchAll(
                db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [index])
        }
        try editTable(
            "events", replacing: idempotencyKeyDeclared, with: idempotencyKeyUndeclared, migration: "event_idempotency_v1",
            db,
            requiring: {
                try columns("sqlite_autoindex_events_2") == ["idempotency_key"]
                    && columns("sqlite_autoindex_events_3") == ["stream", "stream_version"]
            },
            alsoEditing: {
                try db.execute(
                    sql: """
                        UPDATE sqlite_master SET name = 'events_idempotency_v0',
                          sql = 'CREATE UNIQUE INDEX events_idempotency_v0 ON events (idempotency_key)'
                        WHERE type = 'index' AND name = 'sqlite_autoindex_events_2'
                        """)
                try db.execute(
                    sql: """
                        UPDATE sqlite_master SET name = 'sqlite_autoindex_events_2'
                        WHERE type = 'index' AND name = 'sqlite_autoindex_events_3'
                        """)
            })
        try db.execute(sql: String(decoding: PackageResources.event_idempotency_v1_sql, as: UTF8.self))
        // Statistics (if anyone ran ANALYZE) are kept by index name, and the names moved.
        for table in ["sqlite_stat1", "sqlite_stat4"] where try db.tableExists(table) {
            try db.execute(sql: "DELETE FROM \(table) WHERE tbl = 'events'")
        }
    }
}
