import Foundation
import GRDB

/// How the log keeps an event's `event_id` and `stream` (issue 15's bytes per event): a UUID in
/// its canonical text (lower case, 8-4-4-4-12) is kept as its 16 bytes, in a BLOB, and in the
/// unique indexes over those columns.
///
/// - `event_id`: the 16 bytes, when the id is such a UUID (every id this ledger draws is).
/// - `stream`: one byte giving where the UUID starts in the text, the text before it, the 16
///   bytes, the text after it: `spend/<uuid>` takes 23 bytes, not 42. The first UUID found at the
///   start or right after a `/` within the first 255 bytes is the one packed.
///
/// Anything else stays TEXT, and so does every row written before this form: SQLite keeps each
/// value's own type, so one column holds both, and a text value never equals a BLOB one. Readers
/// turn either back into the text, which is what the chain's hash is over (`EventHasher`): a
/// row's hash does not depend on the form it is kept in. Queries by stream or id ask for both
/// forms (`forms(ofStream:)`). Written by hand: no package on our list packs these.
enum EventKeyStorage {
    static let uuidTextCount = 36
    static let uuidBytesCount = 16

    /// `event_id` as stored.
    static func stored(eventId: String) -> DatabaseValue {
        Array(eventId.utf8).withUnsafeBufferPointer { text in
            guard let bytes = uuidBytes(text) else { return eventId.databaseValue }
            return Data(bytes).databaseValue
        }
    }

    /// `stream` as stored.
    static func stored(stream: String) -> DatabaseValue {
        let text = Array(stream.utf8)
        return text.withUnsafeBufferPointer { text in
            var start = 0
            while start + uuidTextCount <= text.count, start <= Int(UInt8.max) {
                if let bytes = uuidBytes(UnsafeBufferPointer(rebasing: text[start..<(start + uuidTextCount)])) {
                    var packed: [UInt8] = []
                    packed.reserveCapacity(text.count - uuidTextCount + uuidBytesCount + 1)
                    packed.append(UInt8(start))
                    packed.append(contentsOf: text[..<start])
                    packed.append(contentsOf: bytes)
                    packed.append(contentsOf: text[(start + uuidTextCount)...])
                    return Data(packed).databaseValue
                }
                // The next candidate starts right after the next "/".
                guard let slash = text[start...].firstIndex(of: UInt8(ascii: "/")) else { break }
                start = slash + 1
            }
            return stream.databaseValue
        }
    }

    /// Both forms a stream's rows may have, for `stream IN (?, ?)`: rows written before this form
    /// keep the text.
    static func forms(ofStream stream: String) -> StatementArguments {
        [stored(stream: stream), stream]
    }

    /// Both forms an event id may have, for `event_id IN (?, ?)`.
    static func forms(ofEventId eventId: String) -> StatementArguments {
        [stored(eventId: eventId), eventId]
    }

    /// The text of a stored `event_id`, or nil when the value is neither text nor a BLOB.
    static func eventId(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .string(let text): return text
        case .blob(let bytes): return bytes.withUnsafeBytes { eventIdText(ofBlob: $0) }
        default: return nil
        }
    }

    /// The text of a stored `stream`, or nil when the value is neither text nor a BLOB.
    static func stream(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .string(let text): return text
        case .blob(let bytes): return bytes.withUnsafeBytes(streamString(ofBlob:))
        default: return nil
        }
    }

    /// The UTF-8 text of an `event_id` BLOB. A BLOB of another length than 16 (a damaged file)
    /// reads as its bytes in hex, so the row's hash fails and `verify` names it.
    static func eventIdText(ofBlob blob: UnsafeRawBufferPointer) -> String {
        guard blob.count == uuidBytesCount else { return String(decoding: hexUTF8(blob), as: UTF8.self) }
        // Written in place: replay reads a key per event, and this is one allocation, not three.
        return String(unsafeUninitializedCapacity: uuidTextCount) { text in
            writeUUIDText(blob, into: UnsafeMutableBufferPointer(rebasing: text[...]))
            return uuidTextCount
        }
    }

    static func eventIdUTF8(ofBlob blob: UnsafeRawBufferPointer) -> [UInt8] {
        guard blob.count == uuidBytesCount else { return hexUTF8(blob) }
        return uuidText(blob)
    }

    /// The UTF-8 text of a `stream` BLOB; a BLOB too short to hold what its first byte says (a
    /// damaged file) reads as its bytes in hex.
    static func streamText(ofBlob blob: UnsafeRawBufferPointer) -> [UInt8] {
        guard let offsetByte = blob.first, 1 + Int(offsetByte) + uuidBytesCount <= blob.count else { return hexUTF8(blob) }
        let start = 1 + Int(offsetByte)
        var text: [UInt8] = []
        text.reserveCapacity(blob.count - uuidBytesCount + uuidTextCount)
        text.append(contentsOf: blob[1..<start])
        text.append(contentsOf: uuidText(UnsafeRawBufferPointer(rebasing: blob[start..<(start + uuidBytesCount)])))
        text.append(contentsOf: blob[(start + uuidBytesCount)...])
        return text
    }

    /// `streamText(ofBlob:)` as a String, written in place (one allocation).
    static func streamString(ofBlob blob: UnsafeRawBufferPointer) -> String {
        guard let offsetByte = blob.first, 1 + Int(offsetByte) + uuidBytesCount <= blob.count else {
            return String(decoding: hexUTF8(blob), as: UTF8.self)
        }
        let start = 1 + Int(offsetByte)
        // Text around the UUID that is not ASCII goes through `String(decoding:)`, whose repair of
        // bytes that are not UTF-8 (a damaged file) the chain check applies too.
        guard blob.allSatisfy({ $0 < 0x80 }) else { return String(decoding: streamText(ofBlob: blob), as: UTF8.self) }
        let count = blob.count - 1 - uuidBytesCount + uuidTextCount
        return String(unsafeUninitializedCapacity: count) { text in
            var at = 0
            for byte in blob[1..<start] { text[at] = byte; at += 1 }
            writeUUIDText(
                UnsafeRawBufferPointer(rebasing: blob[start..<(start + uuidBytesCount)]),
                into: UnsafeMutableBufferPointer(rebasing: text[at..<(at + uuidTextCount)]))
            at += uuidTextCount
            for byte in blob[(start + uuidBytesCount)...] { text[at] = byte; at += 1 }
            return at
        }
    }

    /// Appends the UTF-8 text of an `event_id` BLOB to `bytes`, as `eventIdUTF8(ofBlob:)` gives
    /// it, with no array of its own: the chain check does this for every row.
    static func appendEventIdText(ofBlob blob: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        guard blob.count == uuidBytesCount else { return bytes.append(contentsOf: hexUTF8(blob)) }
        appendUUIDText(blob, to: &bytes)
    }

    /// Appends the UTF-8 text of a `stream` BLOB to `bytes`, as `streamText(ofBlob:)` gives it.
    static func appendStreamText(ofBlob blob: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        guard let offsetByte = blob.first, 1 + Int(offsetByte) + uuidBytesCount <= blob.count else {
            return bytes.append(contentsOf: hexUTF8(blob))
        }
        let start = 1 + Int(offsetByte)
        let around = blob[1..<start].allSatisfy { $0 < 0x80 } && blob[(start + uuidBytesCount)...].allSatisfy { $0 < 0x80 }
        guard around else {
            // As `streamString(ofBlob:)` reads it: bytes that are not UTF-8 repaired the same way,
            // so `verify` and a replay agree on a damaged row.
            return bytes.append(contentsOf: String(decoding: streamText(ofBlob: blob), as: UTF8.self).utf8)
        }
        bytes.append(contentsOf: blob[1..<start])
        appendUUIDText(UnsafeRawBufferPointer(rebasing: blob[start..<(start + uuidBytesCount)]), to: &bytes)
        bytes.append(contentsOf: blob[(start + uuidBytesCount)...])
    }

    private static func appendUUIDText(_ uuid: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: uuidTextCount) { text in
            writeUUIDText(uuid, into: text)
            bytes.append(contentsOf: text)
        }
    }

    /// SQL giving the text of a stored `event_id` column, for queries whose rows are hashed or
    /// compared as text (the trail's checksum, its ids): `eventIdTextFunction`, which every
    /// connection the ledger opens registers (`addFunctions`). The same in plain SQLite (five
    /// `hex` calls and their `substr`s) took 3.7 µs a row, 0.4 s of a 108k-event checksum.
    static func eventIdTextSQL(_ column: String) -> String {
        "\(eventIdTextFunction.name)(\(column))"
    }

    /// `eventId(_:)` as an SQL function: NULL stays NULL.
    static let eventIdTextFunction = DatabaseFunction("grantledger_event_id_text", argumentCount: 1, pure: true) {
        values in
        values[0].isNull ? nil : eventId(values[0])
    }

    /// Registers the functions the ledger's SQL calls; on every connection, before any query.
    static func addFunctions(to db: Database) {
        db.add(function: eventIdTextFunction)
    }

    /// The same, on a connection that may have them already: registering a function again makes
    /// SQLite expire every prepared statement of the connection (the writer's cached ones too).
    static func addFunctionsIfMissing(to db: Database) throws {
        let known = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM pragma_function_list WHERE name = ?)",
            arguments: [eventIdTextFunction.name]) ?? false
        if !known { addFunctions(to: db) }
    }

    // MARK: - UUID text and bytes

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The 16 bytes of a canonical lower-case UUID text of 36 bytes; nil for anything else
    /// (upper case included, which would not read back as the same text).
    private static func uuidBytes(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard text.count == uuidTextCount else { return nil }
        var bytes = [UInt8](repeating: 0, count: uuidBytesCount)
        var nibbles = 0
        for (offset, character) in text.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard character == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = character - UInt8(ascii: "a") + 10
            default: return nil
            }
            bytes[nibbles / 2] |= nibbles % 2 == 0 ? value << 4 : value
            nibbles += 1
        }
        return bytes
    }

    private static func uuidText(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: uuidTextCount) { text, count in
            writeUUIDText(bytes, into: UnsafeMutableBufferPointer(rebasing: text[...]))
            count = uuidTextCount
        }
    }

    /// 16 bytes as 36 bytes of lower-case UUID text.
    private static func writeUUIDText(_ bytes: UnsafeRawBufferPointer, into text: UnsafeMutableBufferPointer<UInt8>) {
        let digits: StaticString = "0123456789abcdef"
        let hex = digits.utf8Start
        var at = 0
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 {
                text[at] = UInt8(ascii: "-")
                at += 1
            }
            text[at] = hex[Int(byte >> 4)]
            text[at + 1] = hex[Int(byte & 0x0F)]
            at += 2
        }
    }

    private static func hexUTF8(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return text
    }
}
