import Crypto
import Foundation
import GRDB
import GRDBSQLite

extension ChainCheck {
    /// The canonical encodings of a run of rows (`EventHasher`'s form, `prev_hash` first), laid
    /// end to end, with each row's stored hash. A `data` or `meta` stored compact is kept as
    /// stored, its place noted, and decoded by the hashing thread: decoding was a fifth of a
    /// chain check's samples in `perf`, and on the reading thread it made the check 0.54–0.65 ×
    /// the read-and-hash baseline at 1M events, against 0.92 × for a log stored as text.
    ///
    /// The reader appends, then hands the batch over and never touches it again: `bytes` and
    /// `storedHashes` are then the hashing thread's alone.
    struct Batch: Sendable {
        let bytes: GrowableBytes
        /// 32 bytes a row, in row order.
        let storedHashes: GrowableBytes
        var rows: [RowEntry] = []
        var compacts: [CompactValue] = []
        var count: Int { rows.count }

        /// Where a row's encoding ends in `bytes`, and what the hashing thread needs to check it.
        struct RowEntry {
            var seq: Int64
            var end: Int
            /// How many compact values the batch holds up to this row's end.
            var compactCountAfter: Int
            /// Where the row's `stream` and its `data` start in `bytes` (their length prefix, or a
            /// compact `data` itself): a format 2 value's window (`EventStorageCodec.Context`).
            /// Nothing before `data` is compact, so they lie at the same place in a row's layout.
            var streamStart: Int
            var dataStart: Int
        }

        /// Where a compact value lies in `bytes` (its encoding's length prefix left out).
        struct CompactValue {
            var start: Int
            var end: Int
        }

        init(capacityRows: Int) {
            bytes = GrowableBytes(capacity: capacityRows * 1024)
            storedHashes = GrowableBytes(capacity: capacityRows * 32)
            rows.reserveCapacity(capacityRows)
            compacts.reserveCapacity(capacityRows * 2)
        }

        /// Column order is `RecordedEvent.columns`; the encoding must stay `EventHasher.hash(of:)`'s.
        /// `previousHash` is the row before's stored hash, which its link has been checked to equal.
        /// `typeIsCode`: the row keeps its `type` as a code (`EventTypeStorage`).
        mutating func append(
            row sqlite: SQLiteStatement, seq: Int64, previousHash: UnsafeRawBufferPointer, typeIsCode: Bool
        ) {
            bytes.append(previousHash)  // prev_hash, stored or not
            bytes.appendBigEndian(seq)
            appendKey(sqlite, 1, EventKeyStorage.appendEventIdText(ofBlob:to:))  // event_id
            if sqlite3_column_type(sqlite, 2) == SQLITE_NULL {
                bytes.append(0)
            } else {
                bytes.append(1)
                ColumnBytes(sqlite, 2).appendWithLength(to: bytes)  // idempotency_key
            }
            let streamStart = bytes.count
            appendKey(sqlite, 3, EventKeyStorage.appendStreamText(ofBlob:to:))  // stream
            bytes.appendBigEndian(sqlite3_column_int64(sqlite, 4))  // stream_version
            appendType(ColumnBytes(sqlite, 5), isCode: typeIsCode)  // type
            bytes.appendBigEndian(sqlite3_column_int64(sqlite, 6))  // type_version
            let dataStart = bytes.count
            appendJSON(ColumnBytes(sqlite, 7))  // data
            appendJSON(ColumnBytes(sqlite, 8))  // meta
            bytes.appendBigEndian(sqlite3_column_int64(sqlite, 9))  // recorded_at
            rows.append(
                RowEntry(
                    seq: seq, end: bytes.count, compactCountAfter: compacts.count, streamStart: streamStart,
                    dataStart: dataStart))
            // A stored hash of the wrong length can never match: keep 32 bytes that cannot either.
            let stored = ColumnBytes(sqlite, 11)
            if stored.count == 32 {
                stored.withBuffer { storedHashes.append($0) }
            } else {
                storedHashes.append(Self.never)
            }
        }

        /// `event_id` or `stream`: the text as stored, or the text a BLOB keeps (`EventKeyStorage`).
        private func appendKey(
            _ sqlite: SQLiteStatement, _ column: Int32, _ appendText: (UnsafeRawBufferPointer, GrowableBytes) -> Void
        ) {
            // The type first: SQLite leaves it undefined once a value has been read as another.
            guard sqlite3_column_type(sqlite, column) == SQLITE_BLOB else {
                return ColumnBytes(sqlite, column).appendWithLength(to: bytes)
            }
            // The length prefix is known once the text is written: a placeholder, then patched.
            let lengthAt = bytes.count
            bytes.appendBigEndian(UInt32(0))
            ColumnBytes(sqlite, column).withBuffer { appendText($0, bytes) }
            bytes.overwriteBigEndian(UInt32(bytes.count - lengthAt - 4), at: lengthAt)
        }

        /// `type`: the text as stored, or the name a code stands for (`EventTypeStorage`).
        private func appendType(_ column: ColumnBytes, isCode: Bool) {
            guard isCode else { return column.appendWithLength(to: bytes) }
            let names = EventTypeStorage.nameTable
            column.withBuffer { code in
                guard code.count == 1, Int(code[0]) < names.count else {
                    let name = Array(EventTypeStorage.unknownCodeName(code).utf8)
                    bytes.appendBigEndian(UInt32(name.count))
                    return bytes.append(name)
                }
                let name = names[Int(code[0])]
                bytes.appendBigEndian(UInt32(name.count))
                bytes.append(name)
            }
        }

        /// No SHA-256 digest is known to equal this; a wrong-length stored hash becomes it.
        private static let never = [UInt8](repeating: 0, count: 32)

        /// A `data` or `meta` column: text behind its length, as the hash takes it; compact bytes
        /// as stored, noted for `firstMismatch` to decode.
        private mutating func appendJSON(_ column: ColumnBytes) {
            guard column.isCompact else { return column.appendWithLength(to: bytes) }
            let start = bytes.count
            column.withBuffer { bytes.append($0) }
            compacts.append(CompactValue(start: start, end: bytes.count))
        }

        /// The seq of the first row whose hash does not match, if any. A compact value that does
        /// not decode is a mismatch, as its row's hash over the stored bytes is (`ChainWalk`).
        func firstMismatch() -> Int64? {
            var scratch: [UInt8] = []
            var prefix: [UInt8] = []
            let all = bytes.buffer
            let stored = storedHashes.buffer
            var start = 0
            var compact = 0
            for (index, row) in rows.enumerated() {
                let expected = stored.baseAddress! + index * 32
                let matches =
                    compact == row.compactCountAfter
                    ? Self.digest(of: UnsafeRawBufferPointer(rebasing: all[start..<row.end]), equals: expected)
                    : rowMatches(
                        all, start..<row.end, row, compact..<row.compactCountAfter, expected, scratch: &scratch,
                        prefix: &prefix)
                if !matches { return row.seq }
                compact = row.compactCountAfter
                start = row.end
            }
            return nil
        }

        /// Compared with `memcmp`: `elementsEqual` walked the two buffers a byte at a time through
        /// their iterators, 7 % of the hashing thread's samples.
        private static func digest(of bytes: UnsafeRawBufferPointer, equals expected: UnsafeRawPointer) -> Bool {
            SHA256.hash(data: bytes).withUnsafeBytes { memcmp($0.baseAddress!, expected, 32) == 0 }
        }

        /// Whether a row holding compact values (`compacts`, indexes into `self.compacts`) hashes
        /// to `expected`: the row is laid out in `scratch` with each compact value decoded behind
        /// its length, as `EventHasher` takes it, and hashed in one call. (Hashing it in pieces, a
        /// call per piece, spent 8 % of a check in swift-crypto's per-call overhead.)
        private func rowMatches(
            _ all: UnsafeRawBufferPointer, _ range: Range<Int>, _ row: RowEntry, _ compactIndexes: Range<Int>,
            _ expected: UnsafeRawPointer, scratch: inout [UInt8], prefix: inout [UInt8]
        ) -> Bool {
            var used = 0
            var prefixBuilt = false
            func copy(_ source: Range<Int>) {
                EventStorageCodec.growScratch(&scratch, to: used + source.count)
                scratch.withUnsafeMutableBytes { target in
                    UnsafeMutableRawBufferPointer(rebasing: target[used..<(used + source.count)])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: all[source]))
                }
                used += source.count
            }
            var cursor = range.lowerBound
            for compact in compacts[compactIndexes] {
                copy(cursor..<compact.start)
                let value = UnsafeRawBufferPointer(rebasing: all[compact.start..<compact.end])
                // A format 2 value's window: the row's stream and time, and for `meta` its `data`,
                // already in `scratch` (decoded, or copied as text) right before it.
                var previous = 0..<0
                if value.first == EventStorageCodec.version2 {
                    if !prefixBuilt {
                        buildPrefix(&prefix, all, range, streamAt: row.streamStart - range.lowerBound, scratch)
                        prefixBuilt = true
                    }
                    if compact.start != row.dataStart {
                        let dataAt = row.dataStart - range.lowerBound
                        previous = (dataAt + 4)..<(dataAt + 4 + Self.length(at: dataAt, scratch))
                    }
                }
                // The JSON goes behind room for its length, written once the length is known.
                guard
                    let length = try? EventStorageCodec.decode(
                        value, intoScratch: &scratch, at: used + 4, prefix: prefixBuilt ? prefix : [],
                        previous: previous)
                else {
                    return false
                }
                scratch.withUnsafeMutableBytes {
                    $0.storeBytes(of: UInt32(length).bigEndian, toByteOffset: used, as: UInt32.self)
                }
                used += 4 + length
                cursor = compact.end
            }
            copy(cursor..<range.upperBound)
            return scratch.withUnsafeBytes {
                Self.digest(of: UnsafeRawBufferPointer(rebasing: $0[..<used]), equals: expected)
            }
        }

        /// A 4-byte big-endian length at `offset` of `scratch`.
        private static func length(at offset: Int, _ scratch: [UInt8]) -> Int {
            Int(
                UInt32(bigEndian: scratch.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) })
            )
        }

        /// `EventStorageCodec.contextPrefix` of the row laid out in `scratch` up to its `data`:
        /// the stream's text there, and `recorded_at`, the row's last eight bytes in `all`.
        private func buildPrefix(
            _ prefix: inout [UInt8], _ all: UnsafeRawBufferPointer, _ range: Range<Int>, streamAt: Int,
            _ scratch: [UInt8]
        ) {
            prefix.removeAll(keepingCapacity: true)
            let count = Self.length(at: streamAt, scratch)
            let recordedAtMs = Int64(
                bigEndian: all.loadUnaligned(fromByteOffset: range.upperBound - 8, as: Int64.self))
            EventStorageCodec.appendContextPrefix(
                stream: scratch[(streamAt + 4)..<(streamAt + 4 + count)], recordedAtMs: recordedAtMs, to: &prefix)
        }
    }
}

/// A column's bytes where SQLite holds them, valid until the statement steps again: text as its
/// UTF-8, a blob as is, NULL as empty.
struct ColumnBytes {
    let pointer: UnsafeRawPointer?
    let count: Int

    init(_ statement: SQLiteStatement, _ column: Int32) {
        // sqlite3_column_blob before sqlite3_column_bytes, as SQLite's documentation asks.
        pointer = sqlite3_column_blob(statement, column)
        count = Int(sqlite3_column_bytes(statement, column))
    }

    private var buffer: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : count)
    }

    func withBuffer<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result { body(buffer) }

    func appendWithLength(to bytes: GrowableBytes) { bytes.appendWithLength(buffer) }

    /// Whether this is a `data` or `meta` value stored compact (`EventStorageCodec`).
    var isCompact: Bool { EventStorageCodec.isCompact(buffer) }

    func equals(_ other: [UInt8]) -> Bool { other.withUnsafeBytes { equals($0) } }

    func equals(_ other: UnsafeRawBufferPointer) -> Bool {
        guard buffer.count == other.count else { return false }
        guard let pointer, count > 0 else { return true }
        return memcmp(pointer, other.baseAddress!, count) == 0
    }
}
