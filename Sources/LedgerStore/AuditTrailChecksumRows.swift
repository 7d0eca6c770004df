import GRDB
import GRDBSQLite

/// The audit trail's rows as `Projections.checksums` hashes them, encoded here from the trail's
/// own columns: the bytes `AuditRecordsProjection.trailChecksumQuery` (the definition, kept as
/// the SQL that `ProjectionChecksumTests`' reference reads) would give, without its nine joins.
///
/// The query joins every row to its event and to eight terms of `audit_terms`; those joins, and
/// the event id made text by an SQL function, were about three quarters of the trail's checksum
/// (0.58 s of SQLite alone for 627,653 rows in the `sqlite3` shell, against 0.15 s for the same
/// rows joined to their event only), and the trail's checksum was the tail of a replay (its
/// other connection done in half the time). Terms are few and repeat, so each term's encoded
/// bytes are looked up once and kept; the event's join stays in SQL.
///
/// Every column is encoded as the query's would be read (`ChecksumEncoding.appendColumn`):
/// - a term is the `audit_terms` row whose `code` (its rowid) is the trail's value (a `LEFT
///   JOIN`: NULL when no row has it). An integer's term is looked up once and kept; any other
///   value is bound as it is to the same comparison each time, so SQLite converts it as the join
///   would whatever the column's declared type (a file whose schema was edited);
/// - the responsible user's term is the subject's where SQLite itself finds its code `= 0`
///   (`AuditRecordsProjection.responsibleUserTermSQL`, evaluated in the row's query);
/// - the id is the row's own when it has one, else its event's id as text
///   (`EventIdTextFunction`: a BLOB as `EventKeyStorage` reads it, a text as itself, else NULL);
/// - the time is the row's own when it has one, else its event's `recorded_at`;
/// - `record` is empty text: every trail row's record is its event's to work out
///   (`comparedValues` keeps such rows as stored, so it is not asked).
struct AuditTrailChecksumRows {
    /// The trail's columns and its event's, in the order `encodeRow` reads them.
    static func rawQuery(events: String) -> String {
        """
        SELECT t.seq, t.id, e.event_id, t.source_term, t.record_id, t.occurred_at_ms, e.recorded_at,
          t.event_code_term, t.action_term, t.user_term, t.responsible_user_term, t.subject_id_type_term,
          t.subject_term, t.outcome_term, t.emergency,
          t.responsible_user_term = \(AuditRecordsProjection.responsibleIsSubject)
        FROM audit_trail t LEFT JOIN \(events) e ON e.seq = t.seq ORDER BY t.seq
        """
    }

    /// Terms whose encoded bytes are kept, by code: codes are drawn 1, 2, 3, … as terms first
    /// appear, so the ones below this are an array's indexes (a megabyte at most); a code from
    /// it up is looked up each time it is met, as the query's join would.
    static let keptCodesBelow = 1 << 16

    private let termStatement: Statement
    /// The kept codes' encoded terms (`[0]` for NULL: no such row) end to end, and where each
    /// code's lies in them (`unknown` until first met): one buffer, where an array per term
    /// was retained and released at every use.
    private var keptBytes: [UInt8] = []
    private var kept: [(start: Int, count: Int)] = []
    private static let unknown: (start: Int, count: Int) = (-1, 0)
    /// The most bytes of terms kept (a term may be long text); a term met once they are full is
    /// looked up each time.
    private let keptBytesMax: Int
    /// An event id's text, the same buffer for every row (an array made per row was a quarter
    /// of a row's instructions under callgrind).
    private var eventIdText: [UInt8] = []

    init(_ db: Database, keptBytesMax: Int = 16 << 20) throws {
        termStatement = try db.makeStatement(sql: "SELECT term FROM audit_terms WHERE code = ?")
        self.keptBytesMax = keptBytesMax
    }

    /// Every row of the trail, each as `0xFF` and its encoded values, appended to `encoding`;
    /// `flush` is called whenever `encoding` holds a block's worth.
    mutating func encodeRows(
        _ db: Database, events: String, into encoding: inout ChecksumEncoding, flush: (inout ChecksumEncoding) -> Void
    ) throws {
        let statement = try db.makeStatement(sql: Self.rawQuery(events: events))
        let sqlite = statement.sqliteStatement
        let rows = try Row.fetchCursor(statement)
        while try rows.next() != nil {
            encoding.bytes.append(0xFF)
            try encodeRow(sqlite, into: &encoding)
            if encoding.bytes.count >= ChecksumEncoding.blockBytes { flush(&encoding) }
        }
    }

    private mutating func encodeRow(_ sqlite: SQLiteStatement, into encoding: inout ChecksumEncoding) throws {
        try encoding.appendColumn(sqlite, 0)  // seq
        if sqlite3_column_type(sqlite, 1) != SQLITE_NULL {
            try encoding.appendColumn(sqlite, 1)  // the record's own id
        } else {
            try appendEventIdText(sqlite, 2, into: &encoding)
        }
        try appendTerm(sqlite, 3, into: &encoding)  // source_id
        try encoding.appendColumn(sqlite, 4)  // record_id
        try encoding.appendColumn(sqlite, sqlite3_column_type(sqlite, 5) != SQLITE_NULL ? 5 : 6)  // occurred_at_ms
        try encoding.appendColumn(sqlite, 6)  // recorded_at_ms
        // Each column by itself: a loop over an array literal made the array for every row.
        try appendTerm(sqlite, 7, into: &encoding)  // event_code
        try appendTerm(sqlite, 8, into: &encoding)  // action
        try appendTerm(sqlite, 9, into: &encoding)  // user_id
        // The `IIF`'s condition as SQLite evaluated it (1, 0 or NULL), with the column's affinity.
        let responsibleIsSubject = sqlite3_column_type(sqlite, 15) == SQLITE_INTEGER && sqlite3_column_int64(sqlite, 15) != 0
        try appendTerm(sqlite, responsibleIsSubject ? 12 : 10, into: &encoding)  // responsible_user_id
        try appendTerm(sqlite, 11, into: &encoding)  // subject_id_type
        try appendTerm(sqlite, 12, into: &encoding)  // subject_id
        try appendTerm(sqlite, 13, into: &encoding)  // outcome
        try encoding.appendColumn(sqlite, 14)  // emergency
        encoding.appendText(AuditRecordsProjection.derivedRecord.utf8)  // record
    }

    /// `grantledger_event_id_text(e.event_id)` as read back: a BLOB made text as the function
    /// makes it (ASCII: hex digits and hyphens), a text read as `appendColumn` reads text (which
    /// is what the function's answer reads as), anything else NULL.
    private mutating func appendEventIdText(
        _ sqlite: SQLiteStatement, _ column: Int32, into encoding: inout ChecksumEncoding
    ) throws {
        switch sqlite3_column_type(sqlite, column) {
        case SQLITE_BLOB:
            let blob = UnsafeRawBufferPointer(
                start: sqlite3_column_blob(sqlite, column), count: Int(sqlite3_column_bytes(sqlite, column)))
            eventIdText.removeAll(keepingCapacity: true)
            EventKeyStorage.appendEventIdText(ofBlob: blob, to: &eventIdText)
            encoding.appendText(eventIdText)
        case SQLITE_TEXT:
            try encoding.appendColumn(sqlite, column)
        default:
            encoding.bytes.append(0)
        }
    }

    private mutating func appendTerm(_ sqlite: SQLiteStatement, _ column: Int32, into encoding: inout ChecksumEncoding)
        throws
    {
        switch sqlite3_column_type(sqlite, column) {
        case SQLITE_NULL: return encoding.bytes.append(0)
        case SQLITE_INTEGER: break
        default:
            // The column's own value bound (`sqlite3_bind_value` of it, the one use SQLite allows
            // a column's unprotected value), compared as the join compares it; never kept.
            let value = sqlite3_column_value(sqlite, column)
            return encoding.bytes.append(try term { sqlite3_bind_value($0, 1, value) })
        }
        let code = sqlite3_column_int64(sqlite, column)
        guard code >= 0, code < Self.keptCodesBelow else {
            return encoding.bytes.append(try term { sqlite3_bind_int64($0, 1, code) })
        }
        let index = Int(code)
        if index >= kept.count { kept.append(contentsOf: repeatElement(Self.unknown, count: index + 1 - kept.count)) }
        if kept[index].start < 0 {
            let bytes = try term { sqlite3_bind_int64($0, 1, code) }
            guard keptBytes.count + bytes.count <= keptBytesMax else { return encoding.bytes.append(bytes) }
            kept[index] = (keptBytes.count, bytes.count)
            keptBytes.append(contentsOf: bytes)
        }
        let (start, count) = kept[index]
        keptBytes.withUnsafeBytes { encoding.bytes.append(UnsafeRawBufferPointer(rebasing: $0[start..<start + count])) }
    }

    /// The term whose code equals the value `bind` binds, as SQLite compares them, encoded as
    /// the join's column would be; NULL when there is none. Stepped here, not through GRDB, which
    /// could not bind a column's value as it is.
    private func term(_ bind: (SQLiteStatement) -> Int32) throws -> [UInt8] {
        let statement = termStatement.sqliteStatement
        sqlite3_reset(statement)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        let bound = bind(statement)
        guard bound == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: bound)) }
        var term = ChecksumEncoding(reservingCapacity: 64)
        switch sqlite3_step(statement) {
        case SQLITE_ROW: try term.appendColumn(statement, 0)
        case SQLITE_DONE: term.bytes.append(0)
        case let code: throw DatabaseError(resultCode: ResultCode(rawValue: code))
        }
        return Array(term.bytes.buffer)
    }
}

extension AuditRecordsProjection: EncodesChecksumRows {
    func encodeChecksumRows(
        ofQuery query: String, events: String, _ db: Database, into encoding: inout ChecksumEncoding,
        flush: (inout ChecksumEncoding) -> Void
    ) throws -> Bool {
        guard query == Self.trailChecksumQuery(events: events) else { return false }
        var rows = try AuditTrailChecksumRows(db)
        try rows.encodeRows(db, events: events, into: &encoding, flush: flush)
        return true
    }
}
