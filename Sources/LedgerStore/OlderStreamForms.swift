import Foundation
import GRDB

/// Which older stored forms of a stream key (`EventKeyStorage`) the log holds. The writer finds a
/// stream's version with one search of the `(stream, stream_version)` index per form the
/// stream's rows may have; a log written since event_stream_prefixes_v1 has only today's, and a
/// keysend's stream was looked up three times for one (about 16,000 instructions a command under
/// callgrind, of the writer's 420,000).
///
/// What it finds stays true while only builds of today write the file: every row this build
/// appends is in today's form, and the log's insert trigger (`events_older_builds`) refuses the
/// older forms from the builds that wrote them. The writer reads it again whenever it forgets
/// what it keeps (`WriterMemory`: another connection committed, or its own changed rows outside
/// its batches).
struct OlderStreamForms: Sendable, Equatable {
    /// Some row may keep its stream as text where today's form is bytes: some row keeps its event
    /// id as text (a row from before event_keys_v1, which kept every key as text, or one whose id
    /// is not a lower-case UUID, which only tests write), or some stream with a listed prefix is
    /// text. Any stream's rows are then searched as text too.
    var text: Bool
    /// The codes of the prefixes (`EventKeyStorage.streamPrefixes`) with rows in event_keys_v1's
    /// packed form: rows written between event_keys_v1 and event_stream_prefixes_v1.
    var packedPrefixCodes: Set<UInt8>

    /// Every form, as a reader that does not know asks for them.
    static let all = OlderStreamForms(
        text: true, packedPrefixCodes: Set((1...EventKeyStorage.streamPrefixes.count).map { UInt8($0) }))

    /// Whether rows of a stream kept today as `stored` may be in event_keys_v1's packed form:
    /// only for a stream kept as its prefix's code (otherwise the packed form is today's).
    func mayHavePacked(_ stored: DatabaseValue) -> Bool {
        guard case .blob(let bytes) = stored.storage, bytes.count == EventKeyStorage.codedStreamBytesCount,
            let code = bytes.first, code != 0
        else { return true }
        return packedPrefixCodes.contains(code)
    }

    /// What the log holds: one search of an index for text ids, and two per listed prefix, for its
    /// streams as text and in the packed form (23 in all, each the first entry of an index in a
    /// range; about 0.1 ms).
    static func inLog(_ db: Database) throws -> OlderStreamForms {
        // SQLite orders text before BLOBs: the id index's first entry is text if any is.
        var text =
            try String.fetchOne(db, sql: "SELECT typeof(event_id) FROM events ORDER BY event_id LIMIT 1") == "text"
        var codes: Set<UInt8> = []
        let statement = try db.cachedStatement(
            sql: "SELECT EXISTS (SELECT 1 FROM events WHERE stream >= ? AND stream < ?)")
        func any(from start: [UInt8], asText: Bool) throws -> Bool {
            // Every prefix ends in "/": its last byte plus one bounds the keys that begin with it.
            let end = start.dropLast() + [start[start.count - 1] + 1]
            let bounds: StatementArguments =
                asText
                ? [String(decoding: start, as: UTF8.self), String(decoding: end, as: UTF8.self)]
                : [Data(start), Data(end)]
            return try Bool.fetchOne(statement, arguments: bounds) == true
        }
        for (index, prefix) in EventKeyStorage.streamPrefixBytes.enumerated() {
            guard let last = prefix.last, last < 0x7F else {
                // Not a prefix the bounds above can be made for: every form, as before.
                return .all
            }
            if !text, try any(from: prefix, asText: true) { text = true }
            // event_keys_v1's form: where the UUID starts (the prefix's length), the prefix, the
            // UUID's 16 bytes.
            if try any(from: [UInt8(prefix.count)] + prefix, asText: false) { codes.insert(UInt8(index + 1)) }
        }
        return OlderStreamForms(text: text, packedPrefixCodes: codes)
    }
}
