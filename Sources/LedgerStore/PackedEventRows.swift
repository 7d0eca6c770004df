import Foundation
import GRDB
import GRDBSQLite

/// Rows of the log copied out of SQLite into one buffer, each column's bytes at an offset in it:
/// what a replay's reading thread hands its second core, which decodes each into its event.
///
/// Copied as `StoredEventRow`s on the reading thread, each row was a `Data` or a `String` per
/// column (five or six allocations, and `DatabaseValue`s around them): a tenth of that thread's
/// samples in `perf`, and that thread is the one that bounds a replay (0.98 of a core during the
/// walk, the preparing one 0.92). Here a row is a `memcpy` per column, and the preparing thread
/// decodes the keys, `data` and `meta` from where the bytes lie, without a `Data` of each first.
///
/// Each column is read with the call `StoredEventRow.init(columns:)` makes (`sqlite3_column_int64`,
/// `_text`, `_blob`, or by its storage class as GRDB reads a `DatabaseValue`), so SQLite converts a
/// value of an unexpected class exactly as it did for that, and `RecordedEvent(packed:at:)`
/// decodes each row as `RecordedEvent(stored:)` decodes that copy (`PackedEventRowsTests`).
final class PackedEventRows: @unchecked Sendable {
    /// A column as read: its storage class (or how it was asked for) and where its bytes are.
    struct Value {
        /// `SQLITE_NULL` … `SQLITE_BLOB`, or `readAsText` for a column read as text, `readAsBlob`
        /// as bytes.
        var storage: Int32
        /// An integer's value, or a float's bits.
        var number: Int64
        var offset: Int
        var count: Int

        static let null = Value(storage: SQLITE_NULL, number: 0, offset: 0, count: 0)
    }

    /// One row: its integers, and its other columns' places in `bytes`.
    struct Row {
        var seq: Int64
        var eventId: Value
        var idempotencyKey: Value
        var stream: Value
        var streamVersion: Int64
        var type: Value
        var typeVersion: Int64
        var data: Value
        var meta: Value
        var recordedAtMs: Int64
        var prevHash: Value
        var hash: Value
    }

    /// Read with `sqlite3_column_text`, nil when NULL (`SQLiteColumns.optionalText`).
    private static let readAsText: Int32 = 100
    /// Read with `sqlite3_column_blob`, nil when NULL (`SQLiteColumns.data`).
    private static let readAsBlob: Int32 = 101

    // One thread fills these, then hands the whole to another that reads them: the queue's
    // hand-over orders the two (see `ReplayPipeline`).
    private let bytes: GrowableBytes
    private(set) var rows: [Row] = []
    /// A key's text as it is made, the same buffer for every row (used by the one thread that
    /// decodes the rows).
    private var keyScratch: [UInt8] = []

    init(rowCapacity: Int) {
        bytes = GrowableBytes(capacity: 64 << 10)
        rows.reserveCapacity(rowCapacity)
    }

    var count: Int { rows.count }

    /// The bytes copied so far.
    var byteCount: Int { bytes.count }

    /// Copies the row the statement stands on.
    func append(_ columns: SQLiteColumns) {
        rows.append(
            Row(
                seq: columns.int64(0), eventId: value(columns, 1), idempotencyKey: text(columns, 2),
                stream: value(columns, 3), streamVersion: columns.int64(4), type: value(columns, 5),
                typeVersion: columns.int64(6), data: blob(columns, 7), meta: blob(columns, 8),
                recordedAtMs: columns.int64(9), prevHash: blob(columns, 10), hash: blob(columns, 11)))
    }

    /// The last row's `hash` as `StoredEventRow` reads it, nil when there is no row.
    var lastHash: Data? { rows.last.map { optionalData($0.hash) ?? Data() } }

    /// The column's bytes (`pointer` first, then its count: SQLite's documented order) copied,
    /// for a value of `storage`.
    private func copy(_ columns: SQLiteColumns, _ index: Int32, _ pointer: UnsafeRawPointer?, storage: Int32) -> Value {
        guard let pointer else { return Value(storage: storage, number: 0, offset: bytes.count, count: 0) }
        let count = Int(sqlite3_column_bytes(columns.sqlite, index))
        let offset = bytes.count
        bytes.append(UnsafeRawBufferPointer(start: pointer, count: count))
        return Value(storage: storage, number: 0, offset: offset, count: count)
    }

    /// As `DatabaseValue(sqliteStatement:index:)` reads it: by its storage class.
    private func value(_ columns: SQLiteColumns, _ index: Int32) -> Value {
        let sqlite = columns.sqlite
        switch sqlite3_column_type(sqlite, index) {
        case SQLITE_INTEGER:
            return Value(storage: SQLITE_INTEGER, number: sqlite3_column_int64(sqlite, index), offset: 0, count: 0)
        case SQLITE_FLOAT:
            let bits = Int64(bitPattern: sqlite3_column_double(sqlite, index).bitPattern)
            return Value(storage: SQLITE_FLOAT, number: bits, offset: 0, count: 0)
        case SQLITE_TEXT: return copy(columns, index, sqlite3_column_text(sqlite, index), storage: SQLITE_TEXT)
        case SQLITE_BLOB: return copy(columns, index, sqlite3_column_blob(sqlite, index), storage: SQLITE_BLOB)
        default: return .null
        }
    }

    private func text(_ columns: SQLiteColumns, _ index: Int32) -> Value {
        columns.isNull(index) ? .null : copy(columns, index, sqlite3_column_text(columns.sqlite, index), storage: Self.readAsText)
    }

    private func blob(_ columns: SQLiteColumns, _ index: Int32) -> Value {
        columns.isNull(index) ? .null : copy(columns, index, sqlite3_column_blob(columns.sqlite, index), storage: Self.readAsBlob)
    }

    /// A key's text as `EventKeyStorage` reads its `DatabaseValue`: a text as itself, a BLOB by
    /// `appendText`, anything else nil.
    func keyText(_ value: Value, _ appendText: (UnsafeRawBufferPointer, inout [UInt8]) -> Void) -> String? {
        switch value.storage {
        case SQLITE_TEXT: return string(value)
        case SQLITE_BLOB:
            keyScratch.removeAll(keepingCapacity: true)
            appendText(buffer(value), &keyScratch)
            return String(decoding: keyScratch, as: UTF8.self)
        default: return nil
        }
    }

    /// The bytes of a column read as bytes, nil when NULL: valid while this lives.
    func optionalBytes(_ value: Value) -> UnsafeRawBufferPointer? {
        value.storage == SQLITE_NULL ? nil : buffer(value)
    }

    private func buffer(_ value: Value) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes.buffer[value.offset..<value.offset + value.count])
    }

    /// A text as `String(cString:)` reads SQLite's: up to its first NUL, ill-formed UTF-8
    /// repaired.
    private func string(_ value: Value) -> String {
        let text = buffer(value)
        let end = text.firstIndex(of: 0) ?? text.count
        return String(decoding: UnsafeRawBufferPointer(rebasing: text[..<end]), as: UTF8.self)
    }

    func databaseValue(_ value: Value) -> DatabaseValue {
        switch value.storage {
        case SQLITE_INTEGER: value.number.databaseValue
        case SQLITE_FLOAT: Double(bitPattern: UInt64(bitPattern: value.number)).databaseValue
        case SQLITE_TEXT: string(value).databaseValue
        case SQLITE_BLOB: Data(buffer(value)).databaseValue
        default: .null
        }
    }

    func optionalText(_ value: Value) -> String? {
        value.storage == SQLITE_NULL ? nil : string(value)
    }

    func optionalData(_ value: Value) -> Data? {
        value.storage == SQLITE_NULL ? nil : Data(buffer(value))
    }
}
