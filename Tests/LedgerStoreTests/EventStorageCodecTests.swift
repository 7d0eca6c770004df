import Crypto
import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import PropertyBased
import Testing

@testable import LedgerStore

/// The codec keeps an event's JSON compact on disk and gives it back byte for byte: the hash is
/// over what it gives back, so a byte lost or changed would break the chain.
@Suite struct EventStorageCodecTests {
    /// `back` is what every reader gets (`json`); `throughScratch` is what the chain check
    /// hashes (`decode(_:intoScratch:at:)`, behind bytes already in the buffer).
    static func roundTrip(_ text: String) throws -> (stored: Data, back: Data, throughScratch: Data) {
        let stored = EventStorageCodec.compact(Data(text.utf8)) ?? Data(text.utf8)
        let back = try stored.withUnsafeBytes { try EventStorageCodec.json($0, prefix: []) }
        guard stored.first == EventStorageCodec.version1 else { return (stored, back, stored) }
        // Behind bytes it must keep, as the chain check lays out a row's fields before the value.
        var scratch = [UInt8](repeating: UInt8(ascii: "#"), count: 5)
        let length = try stored.withUnsafeBytes { try EventStorageCodec.decode($0, intoScratch: &scratch, at: 5, prefix: []) }
        #expect(scratch[..<5].allSatisfy { $0 == UInt8(ascii: "#") })
        // The room the decoder makes is this bound: JSON longer than it would have run past.
        #expect(length <= (stored.count - 1) * EventStorageCodec.jsonBytesPerStoredByteMax)
        return (stored, back, Data(scratch[5..<(5 + length)]))
    }

    /// Decodes `bytes` both ways, expecting each to throw.
    static func expectBothDecodersThrow(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: EventStorageCodec.DecodingError.self, sourceLocation: sourceLocation) {
            try bytes.withUnsafeBytes { try EventStorageCodec.json($0, prefix: []) }
        }
        var scratch: [UInt8] = []
        #expect(throws: EventStorageCodec.DecodingError.self, sourceLocation: sourceLocation) {
            try bytes.withUnsafeBytes { try EventStorageCodec.decode($0, intoScratch: &scratch, prefix: []) }
        }
    }

    /// Texts that each reach one branch: UUIDs of either case (and mixed, which are not packed),
    /// hex runs of odd length, longer than one run can hold, digits alone, non-ASCII, escapes,
    /// phrases at the very end, and text the table does not know.
    static let texts: [String] = [
        AuditMappingGoldenTests.stored[3].data,
        AuditMappingGoldenTests.stored[3].meta,
        #"{"id":"01A22F63-55A6-792E-A0BA-88D2D93940C4","other":"01a22f63-55a6-792e-a0ba-88d2d93940c4"}"#,
        #"{"mixed":"01a22F63-55a6-792e-a0ba-88d2d93940c4","short":"01a22f63-55a6-792e-a0ba-88d2d93940c"}"#,
        #"{"digest":"233277ef1f08c5920bb6e18e5b143c437cd8019b783d13746c90147934120f6","n":1796091368871}"#,
        #"{"long":""# + String(repeating: "0123456789abcdef", count: 40) + #"F","upper":"ABCDEF0123456789ABC"}"#,
        #"{"name":"Zoë — “quoted” \"escaped\" \\ \/ \u0001","emoji":"🦀"}"#,
        #"{"request_id":""#,
        // The most JSON per stored byte: UUIDs end to end, and the longest phrase over and over.
        String(repeating: "01a22f63-55a6-792e-a0ba-88d2d93940c4", count: 50),
        String(repeating: longestPhrase, count: 50),
        #"no JSON at all, and 12345678 digits"#,
        "",
        "x",
    ]

    static let longestPhrase = String(
        decoding: PhraseTable.version1.phrases.max { $0.count < $1.count }!, as: UTF8.self)

    @Test(arguments: texts)
    func aTextReadsBackByteForByte(_ text: String) throws {
        let (_, back, throughScratch) = try Self.roundTrip(text)
        #expect(back == Data(text.utf8))
        #expect(throughScratch == Data(text.utf8))
    }

    /// A payment's reserve, as a soak writes it: the figures of the change that made the codec.
    @Test func aPaymentEventIsStoredInLessThanHalfItsText() throws {
        let golden = AuditMappingGoldenTests.stored[3]
        let data = try Self.roundTrip(golden.data)
        let meta = try Self.roundTrip(golden.meta)
        #expect(data.stored.first == EventStorageCodec.version1)
        #expect(meta.stored.first == EventStorageCodec.version1)
        let text = golden.data.utf8.count + golden.meta.utf8.count
        #expect(data.stored.count + meta.stored.count < text / 2, "\(data.stored.count) + \(meta.stored.count) of \(text)")
    }

    /// Format 2's bytes for a payment's reserve in its row's window, and for a value longer than
    /// the 64 KiB a reference may point into, as the encoder first wrote them (sizes and SHA-256).
    /// Its reference finder may be made faster, never different: other references would still
    /// read back, but the same event would be stored in other bytes than before.
    @Test func formatTwoWritesTheBytesItAlwaysWrote() throws {
        let golden = AuditMappingGoldenTests.stored[3]
        let prefix = EventStorageCodec.contextPrefix(
            stream: "spend/01a22f63-55a6-792e-a0ba-88d2d93940c4", recordedAtMs: 1_796_091_368_871)
        let data = Data(golden.data.utf8)
        let meta = Data(golden.meta.utf8)
        let long = Data(
            String(repeating: #"{"id":"01a22f63-55a6-792e-a0ba-88d2d93940c4","n":12345,"k":"#, count: 1_200).utf8
                + (0..<3_000).flatMap { "\($0 &* 7_919 % 10_007)".utf8 })
        let stored = [(data, Data()), (meta, data), (long, meta)].map { json, previous in
            let bytes = EventStorageCodec.compact(json, prefix: prefix, previous: previous) ?? Data()
            return "\(bytes.count) \(Data(SHA256.hash(data: bytes)).hexString)"
        }
        #expect(
            stored == [
                "82 fe56dd538bd5a11edab801cc7157687ae3fe59a49c446a0fb700ca6dae9d2b71",
                "45 71a8b70d834357ac76060406d2e18c535c241600a2d835b4aa96ca1ff3f44229",
                "11281 30ea15ed21758dca620a46c62715ae8088e9d71cf5854a0d587aaa639733bffb",
            ])
    }

    /// JSON never holds a raw byte below 0x20 inside a string, but a text that does is not the
    /// codec's to pack: it is kept as it is, and read back as it is.
    @Test func aTextWithAControlByteIsKeptAsText() throws {
        for text in ["{\"a\":\"\u{01}\"}", "{\n  \"request_id\": \"1\"\n}", "\t"] {
            let (stored, back, _) = try Self.roundTrip(text)
            #expect(stored == Data(text.utf8))
            #expect(back == Data(text.utf8))
        }
    }

    /// Stored bytes that are damaged (cut short, an unknown code or phrase) fail with an error,
    /// never a crash or a wrong text.
    @Test(arguments: [
        [0x01, 0x02, 0x00, 0x01],  // a UUID cut short
        [0x01, 0x04, 0x05, 0x12],  // a hex run cut short
        [0x01, 0x04],  // a hex run without its count
        [0x01, 0x06],  // a phrase without its index
        [0x01, 0x03],  // an upper-case UUID without its bytes
        [0x01, 0x00],  // not a code
        [0x01, 0x0A],  // a line feed is not a code
    ] as [[UInt8]])
    func damagedBytesFailToDecode(_ bytes: [UInt8]) {
        Self.expectBothDecodersThrow(bytes)
    }

    /// Damaged bytes that would decode to more than a stored value ever holds (each byte a
    /// phrase of dozens) fail instead of taking the memory.
    @Test func damagedBytesThatWouldDecodeToGigabytesFail() throws {
        let longest = PhraseTable.version1.phrases.map(\.count).max()!
        let entry = PhraseTable.version1.phrases.firstIndex { $0.count == longest }!
        #expect(entry < EventStorageCodec.singlePhraseCodes.count, "the longest phrase has a one-byte code")
        let count = EventStorageCodec.jsonBytesMax / longest + 2
        var bytes = [EventStorageCodec.version1]
        bytes += [UInt8](repeating: EventStorageCodec.singlePhraseCodes[entry], count: count)
        Self.expectBothDecodersThrow(bytes)
    }

    /// The chain check's decoder sizes its buffer from the stored length (a phrase code can
    /// stand for 47 bytes); a value whose bound is over `scratchBoundMax` is measured exactly
    /// instead, so a large value does not take 47 times its size.
    @Test func aLargeValueGrowsTheScratchBufferOnlyToItsLength() throws {
        let text = #"{"note":""# + String(repeating: "0123456789abcdefXYZ", count: 100_000) + #""}"#
        let stored = try #require(EventStorageCodec.compact(Data(text.utf8)))
        #expect((stored.count - 1) * EventStorageCodec.jsonBytesPerStoredByteMax > EventStorageCodec.scratchBoundMax)
        var scratch: [UInt8] = []
        let length = try stored.withUnsafeBytes { try EventStorageCodec.decode($0, intoScratch: &scratch, prefix: []) }
        #expect(length == text.utf8.count)
        #expect(scratch.count == length)
        #expect(Data(scratch[..<length]) == Data(text.utf8))
    }

    /// Pieces a random text is made of: every phrase of the table (whole and cut), hex digits of
    /// both cases, hyphens and UUIDs, quotes and escapes, multi-byte characters.
    static let pieces: [String] = {
        var pieces = PhraseTable.version1.phrases.map { String(decoding: $0, as: UTF8.self) }
        pieces += pieces.map { String($0.dropLast()) }.filter { !$0.isEmpty }
        pieces += Array("0123456789abcdefABCDEF-\"\\{}[]:,xyzé🦀").map(String.init)
        pieces += ["01a22f63-55a6-792e-a0ba-88d2d93940c4", "01A22F63-55A6-792E-A0BA-88D2D93940C4", "1796091368871"]
        return pieces
    }()

    @Test func anyTextOfThesePiecesReadsBackByteForByte() async {
        let text = Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...80)
        await propertyCheck(count: 2_000, input: text) { indexes in
            let original = indexes.map { Self.pieces[$0] }.joined()
            let decoded = try? Self.roundTrip(original)
            #expect(decoded?.back == Data(original.utf8))
            #expect(decoded?.throughScratch == Data(original.utf8))
        }
    }
}

extension EventStorageCodecTests {
    /// Through a real ledger: events are stored compact, read back as the JSON written, and
    /// hashed over that JSON. Rows turned back into text (as a version before the codec stored
    /// them) keep their hashes, read back the same, and the ledger verifies, chain and
    /// projections, with both kinds side by side.
    @Test func aLedgerStoresItsEventsCompactAndVerifiesBesideRowsStoredAsText() async throws {
        let test = try TestLedger(clock: TestClock(ticking: true))
        for index in 0..<6 {
            try await test.submit(try test.grantCommand("01a22f63-55a6-792e-a0ba-88d2d93940c\(index)"))
        }
        let written = try test.ledger.events(afterSeq: 0, limit: 100)
        #expect(written.count == 6)
        for event in written {
            #expect(event.data.first == UInt8(ascii: "{") && event.meta.first == UInt8(ascii: "{"))
            #expect(EventHasher.hash(of: event) == event.hash)
        }
        let kinds = try await test.ledger.database.read { db in
            try String.fetchAll(db, sql: "SELECT typeof(data) || ' ' || typeof(meta) FROM events ORDER BY seq")
        }
        #expect(kinds == Array(repeating: "blob blob", count: 6))
        await test.ledger.close()

        let queue = try DatabaseQueue(path: test.path)
        try await queue.write { db in
            let trigger = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events_refuse_update'")!
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            for event in written where event.seq % 2 == 0 {
                try db.execute(
                    sql: "UPDATE events SET data = ?, meta = ? WHERE seq = ?",
                    arguments: [String(decoding: event.data, as: UTF8.self), String(decoding: event.meta, as: UTF8.self), event.seq])
            }
            try db.execute(sql: trigger)
        }
        try queue.close()

        let reopened = try Ledger(path: test.path)
        let mixed = try await reopened.database.read { db in
            try String.fetchAll(db, sql: "SELECT typeof(data) FROM events ORDER BY seq")
        }
        #expect(mixed == ["blob", "text", "blob", "text", "blob", "text"])
        #expect(try reopened.events(afterSeq: 0, limit: 100) == written)
        let report = try reopened.verify()
        #expect(report.isIntact, "\(String(describing: report.chainBreak)) \(report.projectionMismatches)")
        #expect(report.eventCount == 6)
        await reopened.close()
    }
}
