import Crypto
import Foundation
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// The encoder's choices (which run becomes a reference, a phrase, a UUID, a hex run or text)
/// decide how many bytes a ledger takes; the decoder reads any valid choice. These pin the
/// bytes the encoder writes for the golden events and for a fixed corpus of rows, so that a
/// change made to encode faster is seen to store exactly what it stored before. A change that
/// means to store less (or more) updates the figures here, and says so. (The figures were taken
/// from the encoder as it was at 1719c5b, before the changes that made it faster.)
@Suite struct EventStorageEncoderOutputTests {
    /// Rows of repeating pieces: UUIDs in both cases and mixed, digits, hex of both cases, the
    /// phrase table's own entries, JSON punctuation, letters, and a row's time, so that every
    /// kind of code and of reference (into the prefix, the `data`, earlier in the value; near
    /// and far) is chosen somewhere, and chosen against each other.
    static func corpus() -> [(data: String, meta: String, stream: String, recordedAtMs: Int64)] {
        // A fixed sequence from a fixed seed, so the corpus is the same on every run
        // (`swift-property-based`'s generators draw a new seed each run).
        var random = SeededRandom(seed: 15)
        func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        let phrases = PhraseTable.version1.phrases.map { String(decoding: $0, as: UTF8.self) }
        let pieces =
            [
                "01a22f63-55a6-792e-a0ba-88d2d93940c4", "01A22F63-55A6-792E-A0BA-88D2D93940C4",
                "01a22f63-55A6-792e-a0ba-88d2d93940c4", "1796091368871", "17960913", "9f86d081884c7d659a2feaa0c55ad015",
                "9F86D081884C7D65", "0123456789", "abcdef", "soak-payer", "connection:", #"",""#, #"":""#, "{", "}",
                "[", "]", ",", ":", #"""#, "é", "x", "0", " ", "\\n",
            ] + phrases
        func text(_ count: Int) -> String {
            (0..<count).map { _ in pieces[below(pieces.count)] }.joined()
        }
        var rows: [(String, String, String, Int64)] = []
        for _ in 0..<2_000 {
            let stream = below(4) == 0 ? text(below(4)) : "spend/" + pieces[below(3)]
            let data = text(below(60))
            // The `meta` often starts from a run of the `data`, as a payment's actor repeats its
            // connection.
            let copied = data.isEmpty ? "" : String(data.suffix(below(data.count + 1)))
            let meta = (below(2) == 0 ? copied : "") + text(below(40))
            rows.append((data, meta, stream, 1_796_091_368_871 + Int64(below(1_000))))
        }
        return rows
    }

    /// A SHA-256 of every stored value, each with its length before it (nil as 0xFFFFFFFF), and
    /// the bytes they take.
    static func digest(_ rows: [(data: String, meta: String, stream: String, recordedAtMs: Int64)]) -> (String, Int) {
        var hasher = SHA256()
        var storedBytes = 0
        func add(_ value: Data?) {
            var length = UInt32(value?.count ?? 0xFFFF_FFFF).littleEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            if let value { hasher.update(data: value) }
            storedBytes += value?.count ?? 0
        }
        for row in rows {
            let prefix = EventStorageCodec.contextPrefix(stream: row.stream, recordedAtMs: row.recordedAtMs)
            let stored = EventStorageCodec.compactRow(data: Data(row.data.utf8), meta: Data(row.meta.utf8), prefix: prefix)
            add(stored.data)
            add(stored.meta)
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), storedBytes)
    }

    @Test func theGoldenEventsAreStoredInTheBytesTheyWereBefore() {
        let rows = EventStorageReferencesTests.goldens.map { ($0.data, $0.meta, $0.stream, $0.recordedAtMs) }
        let (digest, storedBytes) = Self.digest(rows)
        #expect(storedBytes == 854)
        #expect(digest == "4bd874f6881ce7b84c9754d4b4da442cd40997d30c1b9f55f7eb2b96c113f23f")
    }

    @Test func aFixedCorpusOfRowsIsStoredInTheBytesItWasBefore() {
        let rows = Self.corpus()
        #expect(rows.count == 2_000)
        let (digest, storedBytes) = Self.digest(rows)
        #expect(storedBytes == 223_011)
        #expect(digest == "4b3ccc8d10a6ef348d7f7160e664bca93a12856c6adb0451533ed2fd670e5f19")
    }

    /// The finder's memory is taken from blocks kept between rows: rows encoded by eight tasks
    /// at once (more than the blocks kept) each get the bytes they get alone, so no two finders
    /// ever shared a block.
    @Test func rowsEncodedByManyTasksAtOnceAreTheBytesEachGetsAlone() async {
        let rows = Array(Self.corpus().prefix(300))
        func encode(_ row: (data: String, meta: String, stream: String, recordedAtMs: Int64)) -> [Data?] {
            let prefix = EventStorageCodec.contextPrefix(stream: row.stream, recordedAtMs: row.recordedAtMs)
            let stored = EventStorageCodec.compactRow(data: Data(row.data.utf8), meta: Data(row.meta.utf8), prefix: prefix)
            return [stored.data, stored.meta]
        }
        let alone = rows.map(encode)
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var mismatches = 0
                    for round in 0..<4 {
                        for (index, row) in rows.enumerated() where (index + task + round) % 3 != 0 {
                            if encode(row) != alone[index] { mismatches += 1 }
                        }
                    }
                    return mismatches
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        // A value larger than a block has memory of its own, and reads back.
        let large = #"{"copy":""# + String(repeating: "01a22f63-55a6-792e-a0ba-88d2d93940c4,x", count: 3_000) + #""}"#
        #expect(large.utf8.count * 5 > EventStorageCodec.FinderMemory.blockBytes)
        let prefix = EventStorageCodec.contextPrefix(stream: "audit/batch", recordedAtMs: 1)
        let stored = EventStorageCodec.compactRow(data: Data(large.utf8), meta: Data(#"{"a":1}"#.utf8), prefix: prefix)
        let back = stored.data.map { value in
            value.withUnsafeBytes { try? EventStorageCodec.json($0, prefix: prefix) }
        }
        #expect(back == Data(large.utf8))
    }

    /// The word-at-a-time scan finds a byte below 0x20 exactly where a byte-by-byte one does:
    /// every length to 40, each of the bytes that matter (0x00, 0x1F, 0x20, 0x7F, 0x80, 0xFF and
    /// the borrow's neighbours) at every place, among bytes that are not below 0x20.
    @Test func theControlByteScanAgreesWithAByteByByteOne() {
        let fillers: [UInt8] = [0x20, 0x21, 0x41, 0x7F, 0x80, 0xA0, 0xFF]
        let probes: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x3F, 0x7F, 0x80, 0x9F, 0xA0, 0xFF]
        var checked = 0
        for count in 0...40 {
            for filler in fillers {
                var bytes = [UInt8](repeating: filler, count: count)
                for place in 0..<max(count, 1) where count > 0 {
                    for probe in probes {
                        let kept = bytes[place]
                        bytes[place] = probe
                        let expected = bytes.contains { $0 < 0x20 }
                        let found = bytes.withUnsafeBufferPointer { EventStorageCodec.containsControlByte($0) }
                        #expect(found == expected, "\(bytes)")
                        bytes[place] = kept
                        checked += 1
                    }
                }
                #expect(bytes.withUnsafeBufferPointer { EventStorageCodec.containsControlByte($0) } == false)
            }
        }
        #expect(checked > 10_000)
    }

    @Test func everyHexDigitHasItsValue() {
        for (value, digit) in "0123456789abcdef".utf8.enumerated() {
            #expect(EventStorageCodec.nibble(digit) == UInt8(value))
        }
        for (value, digit) in "0123456789ABCDEF".utf8.enumerated() {
            #expect(EventStorageCodec.nibble(digit) == UInt8(value))
        }
    }
}
