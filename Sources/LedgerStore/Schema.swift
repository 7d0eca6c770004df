import CSQLiteConfig
import Foundation
import GRDB

/// Applies the SQL in /schema, in order. Shipped migrations are never edited; new ones are appended.
enum Schema {
    /// Built once: opening a ledger reads it twice (the refusal of a newer file, then the
    /// migration), and `verify` once more for its scratch database.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("event_log_v1") { db in
            try db.execute(sql: String(decoding: PackageResources.event_log_v1_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v1") { db in
            try db.execute(sql: String(decoding: PackageResources.projections_v1_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v2") { db in
            // No rebuild here: the projections of this build need v3's columns too, and v3 always
            // follows in the same `migrate` and rebuilds. Only the newest migration may rebuild.
            try db.execute(sql: String(decoding: PackageResources.projections_v2_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v3") { db in
            // No rebuild here either: v4 follows and rebuilds (only the newest migration may).
            try db.execute(sql: String(decoding: PackageResources.projections_v3_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v4") { db in
            // No rebuild here: v5 follows and rebuilds (only the newest migration may).
            try db.execute(sql: String(decoding: PackageResources.projections_v4_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v5") { db in
            // No rebuild here: v6 follows and rebuilds (only the newest migration may).
            try db.execute(sql: String(decoding: PackageResources.projections_v5_sql, as: UTF8.self))
        }
        migrator.registerMigration("checkpoints_v1") { db in
            // Not a projection: nothing to rebuild.
            try db.execute(sql: String(decoding: PackageResources.checkpoints_v1_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v6") { db in
            // Practitioner login's tables; and the audit records name a spend's and a gateway
            // decision's grant as the authorisation protocol now: every record is mapped afresh.
            // Not here: v7 follows, and every projection needs its tables first. v6 asks it to,
            // durably (see `requestFullRebuild`).
            try db.execute(sql: String(decoding: PackageResources.projections_v6_sql, as: UTF8.self))
            try requestFullRebuild(db)
        }
        migrator.registerMigration("projections_v7") { db in
            // Open Bank Project's entitlements, views and account access (issue 14). Only its own
            // tables are new, and only its own events fill them: those rows alone are read. When
            // an earlier migration of this same open asked for everything, spends_codes_v1 does it
            // (every projection of this build needs the tables as it leaves them, and writes spends
            // in its form) and this one leaves the request; it
            // still fills its own tables, so that they are full whichever build opens the file next.
            try db.execute(sql: String(decoding: PackageResources.projections_v7_sql, as: UTF8.self))
            try rebuild(ObpProjection(), fromEventsOf: ObpProjection.types, db)
        }
        migrator.registerMigration("event_storage_v1") { _ in
            // Nothing to change: rows written from now on keep `data` and `meta` compact
            // (`EventStorageCodec`), rows written before stay text. The migration marks the file
            // so that a version that cannot read compact rows, and knows to refuse a file it
            // does not know (`refuseNewerLedger`), refuses this one instead of misreading it.
        }
        migrator.registerMigration("projections_v8") { db in
            // The audit trail's index with each text value stored once (issue 15's bytes per
            // event). Rows written before stay where they are and are read there: nothing is
            // copied, so opening a large ledger stays quick (copying took 16 s for a million).
            try db.execute(sql: String(decoding: PackageResources.projections_v8_sql, as: UTF8.self))
        }
        migrator.registerMigration("event_keys_v1") { db in
            // Nothing is rewritten: rows written from now on keep a UUID in `event_id` and
            // `stream` as its 16 bytes (`EventKeyStorage`), rows written before keep the text. As
            // with event_storage_v1, the mark makes a version that cannot read those rows refuse
            // the file; its trigger refuses the inserts of one that already has it open.
            try db.execute(sql: String(decoding: PackageResources.event_keys_v1_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v9") { db in
            // An index no query uses (its SQL says which). No rebuild: no projection's rows change.
            try db.execute(sql: String(decoding: PackageResources.projections_v9_sql, as: UTF8.self))
        }
        migrator.registerMigration("event_links_v1") { db in
            // Nothing is rewritten: rows written from now on keep no prev_hash (the hash of the
            // row before, which that row holds), rows written before keep theirs.
            try allowNullPrevHash(db)
            try db.execute(sql: String(decoding: PackageResources.event_links_v1_sql, as: UTF8.self))
        }
        migrator.registerMigration("spends_keys_v1") { _ in
            // Nothing to change: spends written from now on keep a UUID id and connection id as
            // 16 bytes (`SpendsProjection`), rows written before keep the text, and every
            // look-up asks for both. The mark makes a version that would look for the text only
            // refuse the file.
        }
        migrator.registerMigration("event_storage_v2") { db in
            // Nothing is rewritten: rows written from now on keep `data` and `meta` in format 2
            // (`EventStorageCodec`'s references to what the row already says), rows written
            // before keep format 1 or text. The mark makes a version that reads format 1 only
            // refuse the file instead of taking format 2 values for text; its trigger refuses
            // the inserts of one that already has it open.
            try db.execute(sql: String(decoding: PackageResources.event_storage_v2_sql, as: UTF8.self))
        }
        migrator.registerMigration("event_types_v1") { db in
            // Nothing is rewritten: rows written from now on keep a `type` named in
            // schema/event_types_v1.json as its index there (`EventTypeStorage`), rows written
            // before keep the text, and readers take either. The mark makes a version that reads
            // the text only refuse the file; its trigger refuses the inserts of one that already
            // has it open.
            try db.execute(sql: String(decoding: PackageResources.event_types_v1_sql, as: UTF8.self))
        }
        migrator.registerMigration("event_stream_prefixes_v1") { db in
            // Nothing is rewritten: rows written from now on keep a stream that is a prefix named
            // in schema/event_stream_prefixes_v1.json and a UUID as the prefix's code and the 16
            // bytes (`EventKeyStorage`), rows written before keep their form, and look-ups by
            // stream ask for every form. The mark makes a version that would not find the coded
            // rows refuse the file; its trigger refuses the inserts of one that already has it open.
            try db.execute(sql: String(decoding: PackageResources.event_stream_prefixes_v1_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v10") { db in
            // The trail's time and responsible user where its row repeats them (its event's
            // recorded_at, its subject), and indexes without those rows. Nothing is rewritten and
            // no projection is rebuilt: rows written before keep both spelt out, which reads the
            // same. Only the two indexes are made again.
            try allowNullOccurredAt(db)
            try db.execute(sql: String(decoding: PackageResources.projections_v10_sql, as: UTF8.self))
        }
        migrator.registerMigration("event_idempotency_v1") { db in
            // Nothing is rewritten: the key's index keeps only the events that have one
            // (Schema+IdempotencyIndex.swift). The rule is the one the UNIQUE kept, for every writer.
            try indexOnlyIdempotencyKeys(db)
        }
        migrator.registerMigration("projections_v11") { db in
            // The trail's indexes without the seq each entry already ends with. No row changes;
            // no rebuild (spends_codes_v1 does what an earlier migration asked).
            try db.execute(sql: String(decoding: PackageResources.projections_v11_sql, as: UTF8.self))
        }
        migrator.registerMigration("spends_codes_v1") { db in
            // Nothing is rewritten: spends written from now on keep their status and a paying
            // method as one-byte codes (`SpendColumnStorage`), rows written before keep the text,
            // and readers take either. The mark makes a version that reads the text only refuse
            // the file. Only the held spends' index is made again.
            try db.execute(sql: String(decoding: PackageResources.spends_codes_v1_sql, as: UTF8.self))
            // The newest migration that changes projection tables does what an earlier one of this
            // same open asked (see `requestFullRebuild`): here, because a rebuild writes spends in
            // this migration's form, which must not be committed before the mark that makes an
            // older build refuse the file.
            if try fullRebuildRequested(db) { try rebuildProjections(db) }
        }
        migrator.registerMigration("projections_v12") { db in
            // Two indexes, one of them partial: no row changes, and nothing for a rebuild to
            // write in another form (spends_codes_v1 did what an earlier migration asked, before
            // these exist: no projection's apply may name them with INDEXED BY).
            try db.execute(sql: String(decoding: PackageResources.projections_v12_sql, as: UTF8.self))
        }
        migrator.registerMigration("event_insert_guards_v1") { db in
            // Nothing is rewritten: the five triggers that refuse an older build's inserts are
            // one, with the same conditions written cheaper (its SQL says how much): every event
            // the writer appends runs it. A build from before this migration opens the file no
            // more (`refuseNewerLedger`); one still running is refused as before.
            try db.execute(sql: String(decoding: PackageResources.event_insert_guards_v1_sql, as: UTF8.self))
        }
        return migrator
    }()

    /// How event_log_v1 declares the column, and the same without its NOT NULL.
    static let prevHashDeclared = "prev_hash       BLOB    NOT NULL CHECK (length(prev_hash) = 32),"
    static let prevHashNullable =
        "prev_hash       BLOB             CHECK (length(prev_hash) = 32),  -- NULL since event_links_v1: the hash of seq - 1"

    /// Lifts the NOT NULL of `events.prev_hash`. `ALTER TABLE` cannot, and copying the log into a
    /// new table would rewrite every page of it (copying a million-row table took 15 s here,
    /// against goal 5's 5 s for an upgrade) for a change no stored row needs.
    static func allowNullPrevHash(_ db: Database) throws {
        try editEventsTable(replacing: prevHashDeclared, with: prevHashNullable, db)
        try requireNullable("events", "prev_hash", migration: "event_links_v1", db)
    }

    /// How projections_v8 declares the trail's time, and the same without its NOT NULL.
    static let occurredAtDeclared = "occurred_at_ms INTEGER NOT NULL,"
    static let occurredAtNullable =
        "occurred_at_ms INTEGER,               -- NULL since projections_v10: its event's recorded_at"

    /// Lifts the NOT NULL of `audit_trail.occurred_at_ms` as `allowNullPrevHash` does that of
    /// `prev_hash`: copying the trail would rewrite it for a change no stored row needs.
    static func allowNullOccurredAt(_ db: Database) throws {
        try editTable(
            "audit_trail", replacing: occurredAtDeclared, with: occurredAtNullable, migration: "projections_v10", db)
        try requireNullable("audit_trail", "occurred_at_ms", migration: "projections_v10", db)
    }

    private static func requireNullable(_ table: String, _ column: String, migration: String, _ db: Database) throws {
        let notNull = try Bool.fetchOne(
            db, sql: "SELECT \"notnull\" FROM pragma_table_info(?) WHERE name = ?", arguments: [table, column])
        guard notNull == false else {
            throw LedgerError(code: .storage, message: "cannot migrate (\(migration)): \(table).\(column) is still NOT NULL")
        }
    }

    static func editEventsTable(replacing declared: String, with replacement: String, _ db: Database) throws {
        try editTable("events", replacing: declared, with: replacement, migration: "event_links_v1", db)
    }

    /// Replaces `declared` by `replacement` in a table's SQL, where it occurs exactly once
    /// (anything else is refused untouched). SQLite documents this edit as the way to remove a
    /// constraint that no stored row depends on (https://sqlite.org/lang_altertable.html,
    /// "Making Other Kinds Of Table Schema Changes"): in the caller's transaction, with the
    /// schema version raised so that every connection reads the schema again.
    /// `requiring` checks more of the schema before anything is edited (false refuses it
    /// untouched), and `alsoEditing` edits more of `sqlite_master` in the same edit.
    static func editTable(
        _ table: String, replacing declared: String, with replacement: String, migration: String, _ db: Database,
        requiring: () throws -> Bool = { true }, alsoEditing: () throws -> Void = {}
    ) throws {
        let tableSQL = try String.fetchOne(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]) ?? ""
        guard tableSQL.components(separatedBy: declared).count == 2, try requiring() else {
            throw LedgerError(
                code: .storage,
                message: "cannot migrate (\(migration)): the \(table) table is not declared as expected")
        }
        try editSchema(migration: migration, db) {
            try db.execute(
                sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                arguments: [tableSQL.replacingOccurrences(of: declared, with: replacement), table])
            try alsoEditing()
        }
    }

    /// Runs `edit`'s writes to `sqlite_master` in the caller's transaction, then raises the schema
    /// version so that every connection (this one's next statement included) reads the schema again.
    static func editSchema(migration: String, _ db: Database, _ edit: () throws -> Void) throws {
        // Apple's SQLite turns defensive mode on by default, which refuses this edit: off for it.
        let defensive = grantledger_sqlite_defensive(db.sqliteConnection) == 1
        if defensive, grantledger_sqlite_set_defensive(db.sqliteConnection, 0) != 0 {
            throw LedgerError(
                code: .storage, message: "cannot migrate (\(migration)): SQLite's defensive mode cannot be turned off")
        }
        defer { if defensive { _ = grantledger_sqlite_set_defensive(db.sqliteConnection, 1) } }
        let schemaVersion = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        let edited = Result {
            try edit()
            try db.execute(sql: "PRAGMA schema_version = \(schemaVersion + 1)")
        }
        try db.execute(sql: "PRAGMA writable_schema = OFF")
        try edited.get()
        db.clearSchemaCache()
    }

    /// A ledger that a newer grantledger has migrated may hold what this version cannot read (an
    /// event stored in a newer format, a table it would leave stale): opened, it would misread
    /// the log or let projections drift from it. It is refused before anything is written,
    /// naming what this version does not know, so a rollback goes to a backup from before.
    static func refuseNewerLedger(_ db: Database) throws {
        let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
        if !unknown.isEmpty { throw NewerLedgerError(unknownMigrations: unknown.sorted()) }
    }

    /// A migration that changes how existing projections map events asks the newest migration
    /// that changes projection tables (spends_codes_v1; projections_v10 and v8 before it) to rebuild everything,
    /// with this build's tables: rebuilding in v8 wrote rows v8's tables could not hold. The
    /// request is a table in the file, committed with the migration that makes it: each
    /// migration commits on its own, so an upgrade killed between the two finds the request
    /// again at the next open. The migration that honours it drops it in its own transaction.
    static func requestFullRebuild(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS full_rebuild_requested (requested INTEGER)")
    }

    static func fullRebuildRequested(_ db: Database) throws -> Bool {
        guard try db.tableExists("full_rebuild_requested") else { return false }
        try db.execute(sql: "DROP TABLE full_rebuild_requested")
        return true
    }

    /// Fills one new projection from the only events it reads, found by type in one pass of the
    /// table SQLite makes itself: opening a 1.1M-event ledger took 63 s when every migration that
    /// added a projection replayed the whole log into every projection. The chain is not checked
    /// here (`verify` does that); nothing else is rebuilt.
    static func rebuild(_ projection: some Projection, fromEventsOf types: Set<String>, _ db: Database) throws {
        for table in projection.tables { try db.execute(sql: "DELETE FROM \(table.name)") }
        // Each type in either form it may be stored in (`EventTypeStorage`).
        let forms = types.sorted().flatMap(EventTypeStorage.storedForms(ofType:))
        let placeholders = Array(repeating: "?", count: forms.count).joined(separator: ", ")
        let rows = try Row.fetchCursor(
            db, sql: "SELECT \(RecordedEvent.selectColumns) FROM events WHERE type IN (\(placeholders)) ORDER BY seq",
            arguments: StatementArguments(forms))
        while let row = try rows.next() { try projection.apply(try RecordedEvent(row: row), typed: nil, db) }
    }

    /// New projection columns and tables start out empty; the log already holds what belongs in
    /// them, so a migration that adds projections refills every one from the log.
    static func rebuildProjections(_ db: Database) throws {
        let projections = Projections.standard
        try projections.reset(db)
        let replaying = projections.replaying()
        if let chainBreak = try ReplayPipeline.walk(db, { event in try replaying.apply(event, db) }) {
            throw ReplayError(description: "cannot migrate: the event log is broken at \(chainBreak)")
        }
        try replaying.finish(db)
    }
}

/// The ledger was migrated by a newer grantledger than this one.
public struct NewerLedgerError: Error, CustomStringConvertible {
    public var unknownMigrations: [String]

    public var description: String {
        "this ledger was upgraded by a newer grantledger (migrations this version does not know: "
            + unknownMigrations.joined(separator: ", ")
            + "); run that version, or restore a backup taken before the upgrade"
    }
}
