import Crypto
import Dispatch
import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// The hash chain checked as fast as the log can be read: what `verify` does first, and all that
/// `verify --chain-only` does.
///
/// `ChainWalk` decodes every row into a `RecordedEvent` (strings and `Data` allocated per column)
/// because replay needs them. Checking the chain needs only the bytes: this reads the columns
/// straight from SQLite's buffers into one canonical-encoding buffer per batch, and hashes the
/// batches on the other core while the next one is read. Each row's `prev_hash` is the hash of the
/// row before (stored in rows written before event_links_v1), so the links are checked as rows
/// are read and the hashes in parallel; the first break by `seq` wins, with the same reasons, in
/// the same order, as `ChainWalk`.
enum ChainCheck {
    struct Outcome {
        var eventCount: Int64
        var chainBreak: ChainBreak?
        /// The rows of the type `run` was asked to note, decoded (the checkpoint keys), up to the break.
        var noted: [RecordedEvent]
    }

    /// Rows hashed per batch: big enough that handing a batch over costs nothing, small enough
    /// that the batches in flight stay a few MB for ordinary rows.
    static let batchRows = 2048
    /// And at most about this many bytes of encodings, whatever the rows hold (a reported audit
    /// batch may be megabytes): three batches alive at once stay a few tens of MB.
    static let batchBytes = 8 << 20

    /// `batchesInFlight` is how many batches the hashing thread may hold; past it the reader hashes
    /// the next one itself (0: the reader hashes every batch, as tests check that path).
    static func run(
        _ db: Database, noting notedType: String? = nil, batchesInFlight: Int = 2,
        progress: (@Sendable (Int64) -> Void)? = nil
    ) throws -> Outcome {
        let statement = try db.makeStatement(sql: "SELECT \(RecordedEvent.columns) FROM events ORDER BY seq")
        let rows = try Row.fetchCursor(statement)
        let sqlite = statement.sqliteStatement
        let hashing = HashingPipeline(batchesInFlight: batchesInFlight)
        var batch = Batch(capacityRows: batchRows)
        var expectedSeq: Int64 = 1
        var previousHash = [UInt8](EventHasher.genesis)
        var linkBreak: ChainBreak?
        var noted: [RecordedEvent] = []
        let notedBytes = notedType.map { Array($0.utf8) }
        let notedCode = notedType.flatMap(EventTypeStorage.code(ofType:))

        while let row = try rows.next() {
            let seq = sqlite3_column_int64(sqlite, 0)
            if seq != expectedSeq {
                linkBreak = ChainBreak(seq: expectedSeq, reason: "missing: the next row is seq \(seq)")
                break
            }
            // Rows written since event_links_v1 keep no prev_hash: their link is the row before's
            // hash by construction, and a change to either row breaks a hash.
            if sqlite3_column_type(sqlite, 10) != SQLITE_NULL, !ColumnBytes(sqlite, 10).equals(previousHash) {
                linkBreak = ChainBreak(seq: seq, reason: "prev_hash does not equal the hash of seq \(seq - 1)")
                break
            }
            // Asked before the column is read: SQLite leaves the type undefined after a conversion.
            let typeIsCode = sqlite3_column_type(sqlite, 5) == SQLITE_BLOB
            batch.append(row: sqlite, seq: seq, previousHash: previousHash, typeIsCode: typeIsCode)
            let isNoted =
                typeIsCode
                ? notedCode.map { ColumnBytes(sqlite, 5).equals([$0]) } == true
                : notedBytes.map { ColumnBytes(sqlite, 5).equals($0) } == true
            // A copy: the cursor's row reads SQLite's buffers, which the next step reuses.
            if isNoted {
                noted.append(try RecordedEvent(row: row.copy(), previousHash: Data(previousHash)))
            }
            previousHash.removeAll(keepingCapacity: true)
            ColumnBytes(sqlite, 11).append(to: &previousHash)
            if batch.count == batchRows || batch.bytes.count >= batchBytes {
                hashing.submit(batch)
                batch = Batch(capacityRows: batchRows)
            }
            expectedSeq += 1
            if let progress, seq % ChainWalk.progressInterval == 0 { progress(seq) }
        }
        if batch.count > 0 { hashing.submit(batch) }
        let hashBreak = hashing.finish()

        // The first break by seq; at the same seq a link break is reported first, as ChainWalk does.
        let chainBreak: ChainBreak? =
            switch (linkBreak, hashBreak) {
            case (nil, nil): nil
            case (let link?, nil): link
            case (nil, let hash?): hash
            case (let link?, let hash?): hash.seq < link.seq ? hash : link
            }
        let intactCount = chainBreak.map { $0.seq - 1 } ?? (expectedSeq - 1)
        return Outcome(
            eventCount: intactCount, chainBreak: chainBreak, noted: noted.filter { $0.seq <= intactCount })
    }

    /// The canonical encodings of a run of rows (`EventHasher`'s form, `prev_hash` first), laid
    /// end to end, with each row's stored hash. A `data` or `meta` stored compact is kept as
    /// stored, its place noted, and decoded by the hashing thread: decoding was a fifth of a
    /// chain check's samples in `perf`, and on the reading thread it made the check 0.54–0.65 ×
    /// the read-and-hash baseline at 1M events, against 0.92 × for a log stored as text.
    struct Batch: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var storedHashes: [UInt8] = []
        var seqs: [Int64] = []
        /// Where each compact value lies in `bytes` (its encoding's length prefix left out).
        var compactStarts: [Int] = []
        var compactEnds: [Int] = []
        /// For each row, how many compact values the batch holds up to its end.
        var compactCountAfterRow: [Int] = []
        /// For each row, where its `stream` and its `data` start in `bytes` (their length prefix,
        /// or a compact `data` itself): a format 2 value's window (`EventStorageCodec.Context`).
        /// Nothing before `data` is compact, so they lie at the same place in a row's layout.
        var streamStarts: [Int] = []
        var dataStarts: [Int] = []
        var count: Int { seqs.count }

        init(capacityRows: Int) {
            bytes.reserveCapacity(capacityRows * 1024)
            ends.reserveCapacity(capacityRows)
            storedHashes.reserveCapacity(capacityRows * 32)
            seqs.reserveCapacity(capacityRows)
            streamStarts.reserveCapacity(capacityRows)
            dataStarts.reserveCapacity(capacityRows)
        }

        /// Column order is `RecordedEvent.columns`; the encoding must stay `EventHasher.hash(of:)`'s.
        /// `previousHash` is the row before's stored hash, which its link has been checked to equal.
        /// `typeIsCode`: the row keeps its `type` as a code (`EventTypeStorage`).
        mutating func append(row sqlite: SQLiteStatement, seq: Int64, previousHash: [UInt8], typeIsCode: Bool) {
            bytes.append(contentsOf: previousHash)  // prev_hash, stored or not
            appendInt64(seq)
            appendKey(sqlite, 1, EventKeyStorage.appendEventIdText(ofBlob:to:))  // event_id
            if sqlite3_column_type(sqlite, 2) == SQLITE_NULL {
                bytes.append(0)
            } else {
                bytes.append(1)
                ColumnBytes(sqlite, 2).appendWithLength(to: &bytes)  // idempotency_key
            }
            streamStarts.append(bytes.count)
            appendKey(sqlite, 3, EventKeyStorage.appendStreamText(ofBlob:to:))  // stream
            appendInt64(sqlite3_column_int64(sqlite, 4))  // stream_version
            appendType(ColumnBytes(sqlite, 5), isCode: typeIsCode)  // type
            appendInt64(sqlite3_column_int64(sqlite, 6))  // type_version
            dataStarts.append(bytes.count)
            appendJSON(ColumnBytes(sqlite, 7))  // data
            appendJSON(ColumnBytes(sqlite, 8))  // meta
            appendInt64(sqlite3_column_int64(sqlite, 9))  // recorded_at
            ends.append(bytes.count)
            compactCountAfterRow.append(compactStarts.count)
            // A stored hash of the wrong length can never match: keep 32 bytes that cannot either.
            let stored = ColumnBytes(sqlite, 11)
            if stored.count == 32 { stored.append(to: &storedHashes) } else { storedHashes.append(contentsOf: Self.never) }
            seqs.append(seq)
        }

        /// `event_id` or `stream`: the text as stored, or the text a BLOB keeps (`EventKeyStorage`).
        private mutating func appendKey(
            _ sqlite: SQLiteStatement, _ column: Int32,
            _ appendText: (UnsafeRawBufferPointer, inout [UInt8]) -> Void
        ) {
            // The type first: SQLite leaves it undefined once a value has been read as another.
            guard sqlite3_column_type(sqlite, column) == SQLITE_BLOB else {
                return ColumnBytes(sqlite, column).appendWithLength(to: &bytes)
            }
            // The length prefix is known once the text is written: a placeholder, then patched.
            let lengthAt = bytes.count
            bytes.append(contentsOf: [0, 0, 0, 0])
            ColumnBytes(sqlite, column).withBuffer { appendText($0, &bytes) }
            let length = UInt32(bytes.count - lengthAt - 4).bigEndian
            withUnsafeBytes(of: length) { bytes.replaceSubrange(lengthAt..<(lengthAt + 4), with: $0) }
        }

        /// `type`: the text as stored, or the name a code stands for (`EventTypeStorage`).
        private mutating func appendType(_ column: ColumnBytes, isCode: Bool) {
            guard isCode else { return column.appendWithLength(to: &bytes) }
            let names = EventTypeStorage.nameBytes
            let name = column.withBuffer { code in
                code.count == 1 && Int(code[0]) < names.count
                    ? names[Int(code[0])] : Array(EventTypeStorage.unknownCodeName(code).utf8)
            }
            withUnsafeBytes(of: UInt32(name.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: name)
        }

        /// No SHA-256 digest is known to equal this; a wrong-length stored hash becomes it.
        private static let never = [UInt8](repeating: 0, count: 32)

        private mutating func appendInt64(_ value: Int64) {
            withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
        }

        /// A `data` or `meta` column: text behind its length, as the hash takes it; compact bytes
        /// as stored, noted for `firstMismatch` to decode.
        private mutating func appendJSON(_ column: ColumnBytes) {
            guard column.isCompact else { return column.appendWithLength(to: &bytes) }
            compactStarts.append(bytes.count)
            column.append(to: &bytes)
            compactEnds.append(bytes.count)
        }

        /// Whether a row holding compact values (`compacts`, indexes into `compactStarts`) hashes
        /// to `expected`: the row is laid out in `scratch` with each compact value decoded behind
        /// its length, as `EventHasher` takes it, and hashed in one call. (Hashing it in pieces, a
        /// call per piece, spent 8 % of a check in swift-crypto's per-call overhead.)
        private func rowMatches(
            _ all: UnsafeRawBufferPointer, _ row: Range<Int>, _ index: Int, _ compacts: Range<Int>,
            _ expected: UnsafeRawBufferPointer, scratch: inout [UInt8], prefix: inout [UInt8]
        ) -> Bool {
            var used = 0
            var prefixBuilt = false
            func copy(_ range: Range<Int>) {
                EventStorageCodec.growScratch(&scratch, to: used + range.count)
                scratch.withUnsafeMutableBytes { target in
                    UnsafeMutableRawBufferPointer(rebasing: target[used..<(used + range.count)])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: all[range]))
                }
                used += range.count
            }
            var cursor = row.lowerBound
            for compact in compacts {
                copy(cursor..<compactStarts[compact])
                let value = UnsafeRawBufferPointer(rebasing: all[compactStarts[compact]..<compactEnds[compact]])
                // A format 2 value's window: the row's stream and time, and for `meta` its `data`,
                // already in `scratch` (decoded, or copied as text) right before it.
                var previous = 0..<0
                if value.first == EventStorageCodec.version2 {
                    if !prefixBuilt {
                        buildPrefix(&prefix, all, row, streamAt: streamStarts[index] - row.lowerBound, scratch)
                        prefixBuilt = true
                    }
                    if compactStarts[compact] != dataStarts[index] {
                        let dataAt = dataStarts[index] - row.lowerBound
                        previous = (dataAt + 4)..<(dataAt + 4 + Self.length(at: dataAt, scratch))
                    }
                }
                // The JSON goes behind room for its length, written once the length is known.
                guard
                    let length = try? EventStorageCodec.decode(
                        value, intoScratch: &scratch, at: used + 4, prefix: prefixBuilt ? prefix : [], previous: previous)
                else {
                    return false
                }
                withUnsafeBytes(of: UInt32(length).bigEndian) { scratch.replaceSubrange(used..<(used + 4), with: $0) }
                used += 4 + length
                cursor = compactEnds[compact]
            }
            copy(cursor..<row.upperBound)
            let digest = scratch.withUnsafeBytes { SHA256.hash(data: UnsafeRawBufferPointer(rebasing: $0[..<used])) }
            return digest.withUnsafeBytes { $0.elementsEqual(expected) }
        }

        /// A 4-byte big-endian length at `offset` of `scratch`.
        private static func length(at offset: Int, _ scratch: [UInt8]) -> Int {
            scratch[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
        }

        /// `EventStorageCodec.contextPrefix` of the row laid out in `scratch` up to its `data`:
        /// the stream's text there, and `recorded_at`, the row's last eight bytes in `all`.
        private func buildPrefix(
            _ prefix: inout [UInt8], _ all: UnsafeRawBufferPointer, _ row: Range<Int>, streamAt: Int, _ scratch: [UInt8]
        ) {
            prefix.removeAll(keepingCapacity: true)
            let count = Self.length(at: streamAt, scratch)
            prefix.append(contentsOf: scratch[(streamAt + 4)..<(streamAt + 4 + count)])
            let recordedAtMs = all[(row.upperBound - 8)..<row.upperBound].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            prefix.append(contentsOf: String(Int64(bitPattern: recordedAtMs)).utf8)
        }

        /// The seq of the first row whose hash does not match, if any. A compact value that does
        /// not decode is a mismatch, as its row's hash over the stored bytes is (`ChainWalk`).
        func firstMismatch() -> Int64? {
            var scratch: [UInt8] = []
            var prefix: [UInt8] = []
            return bytes.withUnsafeBytes { all in
                storedHashes.withUnsafeBytes { stored in
                    var start = 0
                    var compact = 0
                    for (index, end) in ends.enumerated() {
                        let expected = UnsafeRawBufferPointer(rebasing: stored[(index * 32)..<(index * 32 + 32)])
                        let compactEnd = compactCountAfterRow[index]
                        let matches: Bool
                        if compact == compactEnd {
                            let digest = SHA256.hash(data: UnsafeRawBufferPointer(rebasing: all[start..<end]))
                            matches = digest.withUnsafeBytes { $0.elementsEqual(expected) }
                        } else {
                            matches = rowMatches(
                                all, start..<end, index, compact..<compactEnd, expected, scratch: &scratch, prefix: &prefix)
                        }
                        if !matches { return seqs[index] }
                        compact = compactEnd
                        start = end
                    }
                    return nil
                }
            }
        }
    }

    /// Hashes submitted batches on a thread of its own, at most two in flight so memory stays
    /// bounded (a third is hashed by the reader), and keeps the lowest seq whose hash did not
    /// match.
    ///
    /// A serial queue, not a concurrent one: on Linux a concurrent queue runs on the same root
    /// queue as Swift's cooperative pool (as wide as the cores), and the reader waits for the
    /// hashing (in `finish`; it used to in `submit` too) from a pool thread, so two checks at once
    /// on two cores waited for hashing that had no thread left to run on (a whole test run hung).
    /// A serial queue gets its own thread.
    final class HashingPipeline: Sendable {
        private let queue = DispatchQueue(label: "grantledger.chain-check")
        private let group = DispatchGroup()
        private let inFlight: DispatchSemaphore
        private let firstMismatch = Mutex<Int64?>(nil)

        init(batchesInFlight: Int) { inFlight = DispatchSemaphore(value: batchesInFlight) }

        /// Hands `batch` to the hashing thread, or, when it holds as many as it may already,
        /// hashes it on the calling thread instead of waiting: the reader's own work is about
        /// half of a check's, so waiting left a core idle whenever hashing fell behind.
        func submit(_ batch: Batch) {
            guard inFlight.wait(timeout: .now()) == .success else { return note(batch.firstMismatch()) }
            queue.async(group: group) { [self] in
                defer { inFlight.signal() }
                note(batch.firstMismatch())
            }
        }

        private func note(_ mismatch: Int64?) {
            guard let seq = mismatch else { return }
            firstMismatch.withLock { current in current = min(current ?? .max, seq) }
        }

        func finish() -> ChainBreak? {
            group.wait()
            return firstMismatch.withLock { $0 }.map {
                ChainBreak(seq: $0, reason: "hash does not match the row's contents (the row was altered)")
            }
        }
    }
}

/// A column's bytes where SQLite holds them, valid until the statement steps again: text as its
/// UTF-8, a blob as is, NULL as empty.
private struct ColumnBytes {
    let pointer: UnsafeRawPointer?
    let count: Int

    init(_ statement: SQLiteStatement, _ column: Int32) {
        // sqlite3_column_blob before sqlite3_column_bytes, as SQLite's documentation asks.
        pointer = sqlite3_column_blob(statement, column)
        count = Int(sqlite3_column_bytes(statement, column))
    }

    private var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : count) }

    func append(to bytes: inout [UInt8]) { bytes.append(contentsOf: buffer) }

    func withBuffer<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result { body(buffer) }

    func appendWithLength(to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(buffer.count).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: buffer)
    }

    /// Whether this is a `data` or `meta` value stored compact (`EventStorageCodec`).
    var isCompact: Bool { EventStorageCodec.isCompact(buffer) }

    func equals(_ other: [UInt8]) -> Bool {
        guard buffer.count == other.count else { return false }
        guard let pointer, count > 0 else { return true }
        return other.withUnsafeBytes { memcmp(pointer, $0.baseAddress!, count) == 0 }
    }
}
