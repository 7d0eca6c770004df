import Foundation
import GRDB
import GRDBSQLite

/// `EventKeyStorage.eventId(_:)` as an SQL function, `grantledger_event_id_text(event_id)`: the
/// text of a stored `event_id`; NULL for NULL (and for a number, which no id is). The trail's
/// pages read every row's event id through it, and the trail's checksum is defined by a query
/// that does (`AuditTrailChecksumRows` makes the same text without the call).
///
/// Registered with SQLite directly rather than as a GRDB `DatabaseFunction`, which makes a
/// `DatabaseValue` array, a `Data` and a `String` per call: that wrapping was a third of a
/// replay's checksum phase in `perf` (the phase runs on one core after the walk). The text is the
/// one `eventId(_:)` gives, and bytes as GRDB would hand them back, so the checksums do not change.
enum EventIdTextFunction {
    static let name = "grantledger_event_id_text"

    static func register(on db: Database) throws {
        let code = sqlite3_create_function_v2(
            db.sqliteConnection, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, call, nil, nil, nil)
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
    }

    private static let call: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = {
        context, _, arguments in
        let transient = SQLiteArgument.transient
        guard let value = arguments?[0] else { return sqlite3_result_null(context) }
        switch sqlite3_value_type(value) {
        case SQLITE_BLOB:
            let blob = UnsafeRawBufferPointer(start: sqlite3_value_blob(value), count: Int(sqlite3_value_bytes(value)))
            var text: [UInt8] = []
            text.reserveCapacity(36)
            EventKeyStorage.appendEventIdText(ofBlob: blob, to: &text)
            // An empty text needs a pointer that is not nil, or SQLite would answer NULL.
            if text.isEmpty { return sqlite3_result_text(context, "", 0, transient) }
            text.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) {
                    sqlite3_result_text(context, $0.baseAddress, Int32($0.count), transient)
                }
            }
        case SQLITE_TEXT:
            guard let start = sqlite3_value_text(value) else { return sqlite3_result_error_nomem(context) }
            let utf8 = UnsafeBufferPointer(start: start, count: Int(sqlite3_value_bytes(value)))
            // GRDB reads a text argument as a C string (up to a NUL, bad UTF-8 repaired) and
            // answers that: ASCII without a NUL, every id the ledger writes, is itself.
            // (Copied as text, not as the value: `sqlite3_result_value` would carry a JSON subtype.)
            if utf8.allSatisfy({ $0 != 0 && $0 < 0x80 }) {
                return sqlite3_result_text(
                    context, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), Int32(utf8.count), transient)
            }
            String(cString: start).withCString { sqlite3_result_text(context, $0, -1, transient) }
        default:
            sqlite3_result_null(context)
        }
    }
}
