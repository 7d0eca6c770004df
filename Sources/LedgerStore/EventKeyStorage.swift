import Foundation
import GRDB
import LedgerCore

/// How the log keeps an event's `event_id` and `stream` (issue 15's bytes per event): a UUID in
/// its canonical text (lower case, 8-4-4-4-12) is kept as its 16 bytes, in a BLOB, and in the
/// unique indexes over those columns.
///
/// - `event_id`: the 16 bytes, when the id is such a UUID (every id this ledger draws is).
/// - `stream`: one byte giving where the UUID starts in the text, the text before it, the 16
///   bytes, the text after it: `spend/<uuid>` took 23 bytes, not 42. The first UUID found at the
///   start or right after a `/` within the first 255 bytes is the one packed.
/// - Since event_stream_prefixes_v1, a stream that is a prefix named in the frozen table
///   `schema/event_stream_prefixes_v1.json` and a UUID, with nothing after it, is 17 bytes: the
///   prefix's index there plus one, and the 16 bytes. `spend/<uuid>` takes 17, in the row and in
///   the `(stream, stream_version)` index. The form before can hold 17 bytes only with a first
///   byte of 0 (a stream that is a bare UUID), so each BLOB reads one way.
///
/// Anything else stays TEXT, and so does every row written before this form: SQLite keeps each
/// value's own type, so one column holds both, and a text value never equals a BLOB one. Readers
/// turn either back into the text, which is what the chain's hash is over (`EventHasher`): a
/// row's hash does not depend on the form it is kept in. Queries by stream or id ask for both
/// forms (`forms(ofStream:)`). A UUID is recognised, packed and written out by the storage
/// codec's own functions (`EventStorageCodec`), which do the same for UUIDs inside the JSON.
enum EventKeyStorage {
    static let uuidTextCount = 36
    static let uuidBytesCount = 16

    /// `event_id` as stored.
    static func stored(eventId: String) -> DatabaseValue {
        // `withUTF8` reads a native string's own bytes: `Array(utf8)` copied them first, for
        // every key of every command the writer runs (three such copies a command).
        var bytes = eventId
        return bytes.withUTF8 { text in
            // false: lower case (or digits only), which reads back as the same text.
            guard text.count == uuidTextCount, EventStorageCodec.uuidCase(text, at: 0) == false else {
                return eventId.databaseValue
            }
            var packed: [UInt8] = []
            packed.reserveCapacity(uuidBytesCount)
            EventStorageCodec.appendUUIDBytes(text, at: 0, to: &packed)
            return Data(packed).databaseValue
        }
    }

    /// Entry n is the prefix stored as code n + 1 (code 0 is a stream that is a bare UUID).
    static let streamPrefixes: [String] = {
        let prefixes: [String]
        do {
            prefixes = try JSONDecoder().decode(
                [String].self, from: Data(PackageResources.event_stream_prefixes_v1_json))
        } catch {
            fatalError("schema/event_stream_prefixes_v1.json is not a JSON array of strings: \(error)")
        }
        precondition(prefixes.count < 256, "a code is one byte: the table holds at most 255 prefixes")
        return prefixes
    }()

    /// The prefixes' UTF-8, for readers that append a stream's text without making strings.
    static let streamPrefixBytes: [[UInt8]] = streamPrefixes.map { Array($0.utf8) }

    /// The same, as the chain check reads them (a row at a time, without reference counting).
    static let streamPrefixTable = FlatTextTable(streamPrefixBytes)

    /// A prefix's code (its place in the table, from 1), found by comparing the table's few
    /// prefixes' bytes: a dictionary keyed by byte arrays needed an array made and hashed a byte
    /// at a time for every look-up.
    private static func streamPrefixCode(_ prefix: UnsafeBufferPointer<UInt8>) -> UInt8? {
        for (index, candidate) in streamPrefixBytes.enumerated() where candidate.count == prefix.count {
            let equal = candidate.withUnsafeBufferPointer {
                memcmp($0.baseAddress!, prefix.baseAddress!, prefix.count) == 0
            }
            if equal { return UInt8(index + 1) }
        }
        return nil
    }

    /// A coded stream's bytes: its prefix's code and the UUID's 16.
    static let codedStreamBytesCount = 1 + uuidBytesCount

    /// `stream` as stored: with its prefix as a code where the table names it, else packed
    /// (event_keys_v1's form), else the text.
    static func stored(stream: String) -> DatabaseValue {
        var bytes = stream
        return bytes.withUTF8 { text in stored(stream: text) ?? stream.databaseValue }
    }

    /// The same from the stream's bytes, or nil when it is stored as its text.
    private static func stored(stream text: UnsafeBufferPointer<UInt8>) -> DatabaseValue? {
        let start = text.count - uuidTextCount
        if start > 0, let code = streamPrefixCode(UnsafeBufferPointer(rebasing: text[..<start])),
            EventStorageCodec.uuidCase(text, at: start) == false
        {
            var coded: [UInt8] = [code]
            coded.reserveCapacity(codedStreamBytesCount)
            EventStorageCodec.appendUUIDBytes(text, at: start, to: &coded)
            return Data(coded).databaseValue
        }
        return packed(text)
    }

    /// event_keys_v1's form of a stream: one byte giving where the UUID starts, the text before
    /// it, its 16 bytes, the text after it. Nil when no UUID can be packed.
    private static func packed(_ text: UnsafeBufferPointer<UInt8>) -> DatabaseValue? {
        var start = 0
        while start <= Int(UInt8.max) {
            if EventStorageCodec.uuidCase(text, at: start) == false {
                var packed: [UInt8] = [UInt8(start)]
                packed.reserveCapacity(1 + text.count - uuidTextCount + uuidBytesCount)
                packed.append(contentsOf: text[..<start])
                EventStorageCodec.appendUUIDBytes(text, at: start, to: &packed)
                packed.append(contentsOf: text[(start + uuidTextCount)...])
                return Data(packed).databaseValue
            }
            // The next candidate starts right after the next "/".
            guard let slash = text[start...].firstIndex(of: UInt8(ascii: "/")) else { break }
            start = slash + 1
        }
        return nil
    }

    /// The forms a key's rows may keep it in, the one written now first: its packed bytes, then
    /// the text rows from before keep; only the text when it is not packed. Look-ups on the
    /// writer's path try them in turn: `IN (?, ?)` made SQLite build a table of the two values
    /// for every statement (`OpenEphemeral`), about 5 % of a replay's CPU in the spends' updates.
    static func storedForms(ofEventId eventId: String) -> [DatabaseValue] {
        storedForms(stored(eventId: eventId), text: eventId)
    }

    /// A stream's forms: as written now, then event_keys_v1's packed form where that differs
    /// (rows written between event_keys_v1 and event_stream_prefixes_v1), then the text; of the
    /// older two only those `older` says the log may hold.
    static func storedForms(ofStream stream: String, older: OlderStreamForms = .all) -> [DatabaseValue] {
        var bytes = stream
        return bytes.withUTF8 { text in
            guard let stored = stored(stream: text) else { return [stream.databaseValue] }
            var forms = [stored]
            if older.mayHavePacked(stored), let packed = packed(text), packed != stored { forms.append(packed) }
            if older.text { forms.append(stream.databaseValue) }
            return forms
        }
    }

    private static func storedForms(_ stored: DatabaseValue, text: String) -> [DatabaseValue] {
        guard case .blob = stored.storage else { return [stored] }
        return [stored, text.databaseValue]
    }

    /// Every form a stream's rows may have, for `stream IN (?, ?, ?)` where a query must see them
    /// at once (a stream's events in version order): always three values, the last repeated
    /// where a stream has fewer forms (`storedForms(ofStream:)`).
    static func forms(ofStream stream: String) -> StatementArguments {
        StatementArguments(threeForms(ofStream: stream))
    }

    /// `forms(ofStream:)`'s three values, for a statement that binds them itself.
    static func threeForms(ofStream stream: String) -> [DatabaseValue] {
        let forms = storedForms(ofStream: stream)
        return (0..<3).map { forms[min($0, forms.count - 1)] }
    }

    /// Both forms an event id may have, for `event_id IN (?, ?)`.
    static func forms(ofEventId eventId: String) -> StatementArguments {
        [stored(eventId: eventId), eventId]
    }

    /// The text of a stored `event_id`, or nil when the value is neither text nor a BLOB.
    static func eventId(_ value: DatabaseValue) -> String? {
        text(of: value, appendEventIdText(ofBlob:to:))
    }

    /// The text of a stored `stream`, or nil when the value is neither text nor a BLOB.
    static func stream(_ value: DatabaseValue) -> String? {
        text(of: value, appendStreamText(ofBlob:to:))
    }

    private static func text(
        of value: DatabaseValue, _ appendText: (UnsafeRawBufferPointer, inout [UInt8]) -> Void
    ) -> String? {
        switch value.storage {
        case .string(let text): return text
        case .blob(let bytes):
            var text: [UInt8] = []
            bytes.withUnsafeBytes { appendText($0, &text) }
            return String(decoding: text, as: UTF8.self)
        default: return nil
        }
    }

    /// Appends the UTF-8 text of an `event_id` BLOB to `text`: the one reading of a stored id,
    /// which replays, readers and the chain check share. A BLOB of another length than 16 (a
    /// damaged file) reads as its bytes in hex, so the row's hash fails and `verify` names it.
    static func appendEventIdText(ofBlob blob: UnsafeRawBufferPointer, to text: inout [UInt8]) {
        guard blob.count == uuidBytesCount else { return text.append(contentsOf: Hex.encode(blob).utf8) }
        appendUUIDText(blob.assumingMemoryBound(to: UInt8.self), at: 0, to: &text)
    }

    /// Appends the UTF-8 text of a `stream` BLOB to `text`, the one reading of a stored stream; a
    /// BLOB too short to hold what its first byte says (a damaged file) reads as its hex.
    static func appendStreamText(ofBlob blob: UnsafeRawBufferPointer, to text: inout [UInt8]) {
        let bytes = blob.assumingMemoryBound(to: UInt8.self)
        if bytes.count == codedStreamBytesCount, let code = bytes.first, code > 0 {
            // A prefix's code; one outside the table (a damaged file) reads as the hex.
            guard Int(code) <= streamPrefixBytes.count else { return text.append(contentsOf: Hex.encode(blob).utf8) }
            text.append(contentsOf: streamPrefixBytes[Int(code) - 1])
            return appendUUIDText(bytes, at: 1, to: &text)
        }
        guard let offset = bytes.first, 1 + Int(offset) + uuidBytesCount <= bytes.count else {
            return text.append(contentsOf: Hex.encode(blob).utf8)
        }
        let begin = text.count
        let start = 1 + Int(offset)
        text.append(contentsOf: bytes[1..<start])
        appendUUIDText(bytes, at: start, to: &text)
        text.append(contentsOf: bytes[(start + uuidBytesCount)...])
        // Text around the UUID that is not UTF-8 (only a damaged file has it) is repaired here, as
        // a String would read it, so that the chain check and a replay hash the same bytes.
        if !text[begin...].allSatisfy({ $0 < 0x80 }) {
            let repaired = Array(String(decoding: text[begin...], as: UTF8.self).utf8)
            text.replaceSubrange(begin..., with: repaired)
        }
    }

    /// `appendEventIdText(ofBlob:to:)` into the chain check's buffer: a UUID written in place,
    /// anything else (a damaged file) read the one way above and copied.
    static func appendEventIdText(ofBlob blob: UnsafeRawBufferPointer, to text: GrowableBytes) {
        guard blob.count == uuidBytesCount else {
            var read: [UInt8] = []
            appendEventIdText(ofBlob: blob, to: &read)
            return text.append(read)
        }
        appendUUIDText(blob.assumingMemoryBound(to: UInt8.self), at: 0, to: text)
    }

    /// `appendStreamText(ofBlob:to:)` into the chain check's buffer: a coded prefix and its UUID
    /// (every stream the ledger writes) in place, anything else read the one way above and copied.
    static func appendStreamText(ofBlob blob: UnsafeRawBufferPointer, to text: GrowableBytes) {
        let bytes = blob.assumingMemoryBound(to: UInt8.self)
        let prefixes = streamPrefixTable
        guard bytes.count == codedStreamBytesCount, let code = bytes.first, code > 0, Int(code) <= prefixes.count else {
            var read: [UInt8] = []
            appendStreamText(ofBlob: blob, to: &read)
            return text.append(read)
        }
        text.append(prefixes[Int(code) - 1])
        appendUUIDText(bytes, at: 1, to: text)
    }

    private static func appendUUIDText(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, to text: GrowableBytes) {
        var target = text.reserve(uuidTextCount)
        EventStorageCodec.writeUUIDText(bytes, at: index, pairs: EventStorageCodec.hexPairs(upper: false), to: &target)
        text.commit(uuidTextCount)
    }

    private static func appendUUIDText(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, to text: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: uuidTextCount) { buffer in
            var target = buffer.baseAddress!
            EventStorageCodec.writeUUIDText(
                bytes, at: index, pairs: EventStorageCodec.hexPairs(upper: false), to: &target)
            text.append(contentsOf: buffer)
        }
    }

    /// SQL giving the text of a stored `event_id` column, for queries whose rows are hashed or
    /// compared as text (the trail's checksum, its ids): `EventIdTextFunction`, which every
    /// connection the ledger opens registers (`addFunctions`). The same in plain SQLite (five
    /// `hex` calls and their `substr`s) took 3.7 µs a row, 0.4 s of a 108k-event checksum.
    static func eventIdTextSQL(_ column: String) -> String {
        "\(EventIdTextFunction.name)(\(column))"
    }

    /// Registers the functions the ledger's SQL calls, unless the connection has them: registering
    /// a function again makes SQLite expire every prepared statement of the connection (the
    /// writer's cached ones too). Returns whether it registered them.
    @discardableResult
    static func addFunctions(to db: Database) throws -> Bool {
        let known =
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM pragma_function_list WHERE name = ?)",
                arguments: [EventIdTextFunction.name]) ?? false
        if !known { try EventIdTextFunction.register(on: db) }
        return !known
    }
}
