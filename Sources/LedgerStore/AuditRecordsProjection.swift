import Foundation
import GRDB
import LedgerCore

/// The `audit_records` table: a NEN 7513 record for every event. Reported accesses are kept as
/// reported; every other event is mapped from its envelope (`AuditMapping`), so no decision of
/// the ledger can escape the trail, and a replay rebuilds it like any projection.
///
/// The tables are the trail's index (who, whom, when, what, outcome), not its text: readers
/// work the record out from the row's event, which holds everything it says. The text was 529
/// of the 2,158 bytes a payment event took on disk, a copy of what the hashed log already held.
///
/// `audit_trail` stores each text value once, in `audit_terms`, and its code in rows and indexes;
/// a record whose id is its event's holds none (schema/projections_v8.sql). Rows written before
/// are in `audit_records`, spelt out, some with their text; nothing writes there any more, and
/// every one of its rows comes before every row of `audit_trail`.
public struct AuditRecordsProjection: Projection {
    public let name = "audit_records"
    public var tables: [(name: String, orderBy: String)] {
        [("audit_records", "seq"), ("audit_terms", "code"), ("audit_trail", "seq"), ("audit_trail_times", "block")]
    }

    /// Both tables hashed as rows of the layout before (`audit_records`' columns, in its order),
    /// so a checksum does not depend on the order codes were drawn in, and one printed by an
    /// earlier version still compares.
    public func checksumSources(events: String) -> [(name: String, queries: [String])] {
        [
            (
                "audit_records",
                ["SELECT * FROM audit_records ORDER BY seq", Self.trailChecksumQuery(events: events)]
            )
        ]
    }

    /// The trail's rows as its checksum hashes them. `Projections.checksums` has them encoded by
    /// `AuditTrailChecksumRows` rather than running it (`EncodesChecksumRows`, below): the same
    /// bytes, without its joins.
    static func trailChecksumQuery(events: String) -> String {
        "\(trailAsRecords(events: events)) ORDER BY t.seq"
    }

    /// `audit_trail` read as `audit_records` rows, with `record` as `derivedRecord`. Outer joins
    /// throughout: a row whose event or term is missing (a damaged file) is hashed with NULLs, so
    /// it shows as a mismatch rather than dropping out of both sides unseen.
    static func trailAsRecords(events: String = "events") -> String {
        """
        SELECT t.seq, COALESCE(t.id, \(EventKeyStorage.eventIdTextSQL("e.event_id"))) AS id, source.term AS source_id, t.record_id,
          COALESCE(t.occurred_at_ms, e.recorded_at) AS occurred_at_ms,
          e.recorded_at AS recorded_at_ms, code.term AS event_code, action.term AS action, user.term AS user_id,
          responsible.term AS responsible_user_id, type.term AS subject_id_type, subject.term AS subject_id,
          outcome.term AS outcome, t.emergency, '\(derivedRecord)' AS record
        FROM audit_trail t
        LEFT JOIN \(events) e ON e.seq = t.seq
        LEFT JOIN audit_terms source ON source.code = t.source_term
        LEFT JOIN audit_terms code ON code.code = t.event_code_term
        LEFT JOIN audit_terms action ON action.code = t.action_term
        LEFT JOIN audit_terms user ON user.code = t.user_term
        LEFT JOIN audit_terms responsible ON responsible.code = \(responsibleUserTermSQL)
        LEFT JOIN audit_terms type ON type.code = t.subject_id_type_term
        LEFT JOIN audit_terms subject ON subject.code = t.subject_term
        LEFT JOIN audit_terms outcome ON outcome.code = t.outcome_term
        """
    }

    /// The responsible user's code: 0 stands for the subject's (projections_v10).
    static let responsibleUserTermSQL =
        "IIF(t.responsible_user_term = \(responsibleIsSubject), t.subject_term, t.responsible_user_term)"

    /// `responsible_user_term` when the responsible user is the subject: no code is 0, and 0
    /// takes no byte in a row (and none in `audit_trail_responsible`, which leaves it out).
    static let responsibleIsSubject: Int64 = 0

    /// `audit_trail_times` keeps a block's times per 2^10 seqs.
    static let timesBlockShift = 10

    /// Rows that keep no time and that their block does not cover: a time filter would pass them
    /// by. No checksum sees `audit_trail_times` (a replay writes blocks for rows an upgraded file
    /// spells out, so the two differ and both are right): `verify` counts these instead.
    static func rowsOutsideTheirTimeBlock(_ db: Database) throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT count(*) FROM audit_trail t JOIN events e ON e.seq = t.seq
                LEFT JOIN audit_trail_times b ON b.block = t.seq >> \(timesBlockShift)
                WHERE t.occurred_at_ms IS NULL
                  AND (b.block IS NULL OR e.recorded_at NOT BETWEEN b.earliest_recorded_at_ms AND b.latest_recorded_at_ms)
                """) ?? 0
    }

    public init() {}

    public func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws {
        try Self.insert(try event.auditRow ?? Self.row(for: event, typed: typed), db)
    }

    /// As `apply`, each term's code from the writer's memory of them, and the row's time noted
    /// there for the batch's end (`WriterMemory`).
    static func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database, memory: WriterMemory)
        throws
    {
        let row = try event.auditRow ?? Self.row(for: event, typed: typed)
        try insert(row, db, code: { try memory.code($0, db) }) { block, recordedAtMs in
            memory.noteTime(block: block, recordedAtMs: recordedAtMs)
        }
    }

    /// What a row's `record` holds when the record is its event's to work out (`recordJSON(of:)`).
    static let derivedRecord = ""

    /// A record as `apply` inserts it, worked out without the database: replay prepares these on
    /// its second core while the first writes.
    struct Row: Sendable {
        var seq: Int64
        var eventId: String
        var id: String
        var sourceId: String
        var record: AuditRecord
        /// `record.occurredAt` as milliseconds, parsed once (a reported record's) or known
        /// without parsing (a mapped record's is its event's `recordedAtMs`, formatted).
        var occurredAtMs: Int64
        var recordedAtMs: Int64
    }

    static func row(for event: RecordedEvent, typed: (any DomainEvent)?) throws -> Row {
        if event.type == AccessReported.type {
            let reported = try (typed as? AccessReported) ?? event.payload.decode(as: AccessReported.self)
            return Row(
                seq: event.seq, eventId: event.eventId, id: reported.id, sourceId: reported.sourceId,
                record: reported.record,
                occurredAtMs: reported.record.occurredAtMs, recordedAtMs: event.recordedAtMs)
        }
        let metadata = try event.storedMetadata ?? CanonicalJSON.decode(EventMetadata.self, from: event.meta)
        var denied = false
        var query: String?
        var readSubject: AuditRecord.Subject?
        var grant: String?
        switch event.type {
        case SpendReserved.type, SpendSettled.type, SpendReleased.type, SpendDenied.type, SpendCorrected.type,
            BudgetThresholdReached.type:
            // A spend's stream is its own; the grant that allowed or refused it is its connection.
            // The writer (and replay, ahead) has the typed event: no second decode of its payload.
            grant =
                try typed.flatMap(SpendEvent.init)?.connectionId
                ?? CanonicalJSON.decode(GrantOfSpend.self, from: event.data).connectionId
        case GatewayAccessRecorded.type:
            let access = try (typed as? GatewayAccessRecorded) ?? event.payload.decode(as: GatewayAccessRecorded.self)
            denied = !access.allowed
        case AuthorizationChecked.type:
            let checked = try (typed as? AuthorizationChecked) ?? event.payload.decode(as: AuthorizationChecked.self)
            denied = !checked.answer.allowed
        case AuditLogRead.type:
            let read = try (typed as? AuditLogRead) ?? event.payload.decode(as: AuditLogRead.self)
            query = read.query
            readSubject = read.subject
        default: break
        }
        let record = AuditMapping.record(
            type: event.type, stream: event.stream, metadata: metadata, recordedAtMs: event.recordedAtMs,
            denied: denied, query: query, readSubject: readSubject, grant: grant)
        return Row(
            seq: event.seq, eventId: event.eventId, id: event.eventId, sourceId: AuditMapping.ledgerSource,
            record: record,
            occurredAtMs: event.recordedAtMs, recordedAtMs: event.recordedAtMs)
    }

    /// The record of this event as canonical JSON (sorted keys, slashes unescaped): what a reader
    /// gets for a row that holds `derivedRecord`.
    static func recordJSON(of event: RecordedEvent) throws -> String {
        if event.type == AccessReported.type, let text = recordJSON(inReport: event.data) { return text }
        return try json(row(for: event, typed: nil).record)
    }

    /// The event a row's record is worked out from.
    static func event(ofRecord seq: Int64, _ db: Database) throws -> RecordedEvent {
        let statement = try db.cachedStatement(sql: "SELECT \(RecordedEvent.selectColumns) FROM events WHERE seq = ?")
        guard let row = try GRDB.Row.fetchOne(statement, arguments: [seq]) else {
            // Events are never deleted: only a damaged file gets here.
            throw LedgerError(code: .storage, message: "audit record \(seq) has no event to work it out from")
        }
        return try RecordedEvent(row: row)
    }

    /// A row written before the text stopped being stored compares equal to the same row written
    /// now when its text is what its event gives; a text that is not (edited since, or mapped by
    /// a version that mapped otherwise) stays, and `verify` names the table.
    public func comparedValues(of row: GRDB.Row, in table: String, _ db: Database) throws -> [DatabaseValue]? {
        guard table == "audit_records" else { return nil }
        let text: String = row["record"]
        guard text != Self.derivedRecord, let index = Array(row.columnNames).firstIndex(of: "record"),
            try text == Self.recordJSON(of: Self.event(ofRecord: row["seq"] as Int64, db))
        else { return nil }
        var values = Array(row.databaseValues)
        values[index] = Self.derivedRecord.databaseValue
        return values
    }

    private static func json(_ record: AuditRecord) throws -> String {
        String(decoding: try CanonicalJSON.encode(record), as: UTF8.self)
    }

    /// The one field of a spend event the record needs.
    /// Codable only so that debug builds compare the two decoders' readings of it.
    struct GrantOfSpend: Codable {
        var connectionId: String?
        enum CodingKeys: String, CodingKey { case connectionId = "connection_id" }
    }

    /// The record's canonical JSON as it already stands inside the report's own: the event's data
    /// is canonical (sorted keys), `{"id":…,"record":{…},"reported_at_ms":…,"source_id":…}`, so the
    /// record runs from after `"record":` to before `,"reported_at_ms":` (the id before it is one
    /// the ledger drew; the source id after it is the caller's credential's). Encoding the record
    /// a second time was a tenth of a batch report's CPU. Nil when the data is not so shaped.
    static func recordJSON(inReport data: Data) -> String? {
        guard let text = String(data: data, encoding: .utf8), let start = text.range(of: #""record":{"#),
            let end = text.range(of: #"},"reported_at_ms":"#, options: .backwards), start.upperBound <= end.lowerBound
        else { return nil }
        return String(text[text.index(before: start.upperBound)...end.lowerBound])
    }

    static func insert(_ row: Row, _ db: Database) throws {
        try insert(row, db, code: { try AuditTerms.code($0, db) }) { block, recordedAtMs in
            try noteTime(block: block, earliestMs: recordedAtMs, latestMs: recordedAtMs, db)
        }
    }

    /// The row, with each term's code from `code` (a replay's memo, or `AuditTerms`), and its
    /// time handed to `noteTime` when the row keeps none (`audit_trail_times`).
    static func insert(
        _ row: Row, _ db: Database, code: (String) throws -> Int64, noteTime: (_ block: Int64, _ recordedAtMs: Int64) throws -> Void
    ) throws {
        let trail = try trailValues(row, code: code)
        try trailInsert.run(db) { statement in try statement.executeInPlace(arguments: trail.values) }
        if trail.keepsNoTime { try noteTime(row.seq >> timesBlockShift, row.recordedAtMs) }
    }

    /// The trail's row for `row`: its values in `trailColumns`' order, each term's code from
    /// `code`; and whether it keeps no time of its own, so that its block must record the span
    /// of such rows' times (`audit_trail_times`), by seq.
    static func trailValues(_ row: Row, code: (String) throws -> Int64) throws
        -> (values: [SQLiteArgument], keepsNoTime: Bool)
    {
        let record = row.record
        // Codes drawn in this order, the same on every replay.
        let source = try code(row.sourceId)
        let eventCode = try code(record.event.code)
        let action = try code(record.action.rawValue)
        let user = try code(record.user.id)
        let responsible = try record.responsibleUser.map { try code($0.id) }
        let subjectIdType = try code(record.subject.idType)
        let subject = try code(record.subject.id)
        let outcome = try code((record.outcome ?? .success).rawValue)
        // Its event's recorded_at, which the row then need not repeat (projections_v10).
        let occurredAtIsRecordedAt = row.occurredAtMs == row.recordedAtMs
        let responsibleStored = responsible == subject ? responsibleIsSubject : responsible
        let values: [SQLiteArgument] = [
            .int64(row.seq), .optional(row.id == row.eventId ? nil : row.id), .int64(source),
            .optional(record.recordId), .optional(occurredAtIsRecordedAt ? nil : row.occurredAtMs),
            .int64(eventCode), .int64(action), .int64(user), .optional(responsibleStored), .int64(subjectIdType),
            .int64(subject), .int64(outcome), .bool(record.emergency == true),
        ]
        return (values, occurredAtIsRecordedAt)
    }

    /// `INSERT` of `rows` rows of the trail, `trailValues`' values one row after another.
    static func trailInsertSQL(rows: Int) -> String {
        let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        return """
            INSERT INTO audit_trail (seq, id, source_term, record_id, occurred_at_ms, event_code_term, action_term,
              user_term, responsible_user_term, subject_id_type_term, subject_term, outcome_term, emergency)
            VALUES \(Array(repeating: row, count: rows).joined(separator: ", "))
            """
    }

    // The writer's statements, found without hashing their text (`StatementSlot`).
    static let trailInsert = StatementSlot(trailInsertSQL(rows: 1))
    static let timesUpdate = StatementSlot(
        """
        INSERT INTO audit_trail_times (block, earliest_recorded_at_ms, latest_recorded_at_ms) VALUES (?, ?, ?)
        ON CONFLICT (block) DO UPDATE SET
          earliest_recorded_at_ms = min(earliest_recorded_at_ms, excluded.earliest_recorded_at_ms),
          latest_recorded_at_ms = max(latest_recorded_at_ms, excluded.latest_recorded_at_ms)
        WHERE excluded.earliest_recorded_at_ms < earliest_recorded_at_ms
          OR excluded.latest_recorded_at_ms > latest_recorded_at_ms
        """)

    /// Widens a block's span of times to hold `earliestMs...latestMs`.
    static func noteTime(block: Int64, earliestMs: Int64, latestMs: Int64, _ db: Database) throws {
        try timesUpdate.run(db) { try $0.executeInPlace(.int64(block), .int64(earliestMs), .int64(latestMs)) }
    }

    /// The ids this source already reported under these `record_id`s.
    public static func reportedIds(sourceId: String, recordIds: [String], _ db: Database) throws -> [String: String] {
        guard !recordIds.isEmpty else { return [:] }
        var known: [String: String] = [:]
        // One look-up per record id and table, each on a unique index; a batch holds at most 1,000.
        let before = try db.cachedStatement(sql: "SELECT id FROM audit_records WHERE source_id = ? AND record_id = ?")
        let source = try AuditTerms.code(ifKnown: sourceId, db)
        let now = try db.cachedStatement(
            sql: """
                SELECT COALESCE(t.id, \(EventKeyStorage.eventIdTextSQL("e.event_id"))) FROM audit_trail t JOIN events e ON e.seq = t.seq
                WHERE t.source_term = ? AND t.record_id = ?
                """)
        for recordId in Set(recordIds) {
            if let id = try String.fetchOne(before, arguments: [sourceId, recordId]) {
                known[recordId] = id
            } else if let source, let id = try String.fetchOne(now, arguments: [source, recordId]) {
                known[recordId] = id
            }
        }
        return known
    }
}
