import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import PropertyBased
import Testing

@testable import LedgerStore

/// Format 2 stores a run the row has already said (its stream, its time, its `data`, earlier in
/// the value) as a reference, and gives the JSON back byte for byte: the hash is over it.
@Suite struct EventStorageReferencesTests {
    /// Stores `text` in format 2 with the row's window and reads it back both ways: as every
    /// reader does (`json`), and as the chain check does (`decode` into a buffer that holds the
    /// row's `data` before it, at an offset).
    static func roundTrip(_ text: String, stream: String, recordedAtMs: Int64, previous: String = "") throws
        -> (stored: Data, back: Data, throughScratch: Data)
    {
        let prefix = EventStorageCodec.contextPrefix(stream: stream, recordedAtMs: recordedAtMs)
        let stored =
            EventStorageCodec.compact(Data(text.utf8), prefix: prefix, previous: Data(previous.utf8)) ?? Data(text.utf8)
        let back = try stored.withUnsafeBytes {
            try EventStorageCodec.json($0, prefix: prefix, previous: Data(previous.utf8))
        }
        guard stored.first == EventStorageCodec.version2 else { return (stored, back, stored) }
        // "##" ‖ previous ‖ "#####" ‖ the value, as a row lays out its `data`, a length, its `meta`.
        var scratch = Array("##\(previous)#####".utf8)
        let previousRange = 2..<(2 + previous.utf8.count)
        let offset = scratch.count
        let length = try stored.withUnsafeBytes {
            try EventStorageCodec.decode($0, intoScratch: &scratch, at: offset, prefix: prefix, previous: previousRange)
        }
        #expect(Array(scratch[..<offset]) == Array("##\(previous)#####".utf8), "the bytes before are kept")
        #expect(length <= (stored.count - 1) * EventStorageCodec.jsonBytesPerStoredByteMax)
        return (stored, back, Data(scratch[offset..<(offset + length)]))
    }

    static let goldens = AuditMappingGoldenTests.stored

    @Test(arguments: goldens)
    func everyKindOfEventReadsBackByteForByteInFormat2(_ golden: AuditMappingGoldenTests.Golden) throws {
        let data = try Self.roundTrip(golden.data, stream: golden.stream, recordedAtMs: golden.recordedAtMs)
        let meta = try Self.roundTrip(
            golden.meta, stream: golden.stream, recordedAtMs: golden.recordedAtMs, previous: golden.data)
        #expect(data.stored.first == EventStorageCodec.version2 && meta.stored.first == EventStorageCodec.version2)
        #expect(data.back == Data(golden.data.utf8) && data.throughScratch == Data(golden.data.utf8))
        #expect(meta.back == Data(golden.meta.utf8) && meta.throughScratch == Data(golden.meta.utf8))
        // Never larger than format 1: a reference is taken only where it is shorter.
        #expect(data.stored.count <= EventStorageCodec.compact(Data(golden.data.utf8))!.count)
        #expect(meta.stored.count <= EventStorageCodec.compact(Data(golden.meta.utf8))!.count)
    }

    /// A payment's reserve and settle, as a soak writes them: what the repeats cost in format 1
    /// and in format 2. The spend id is the stream's UUID, the times the row's, the actor's
    /// connection the one in `data`, the subject the `on_behalf_of`.
    @Test(arguments: [3, 4])
    func aPaymentEventsRepeatsAreStoredAsReferences(_ index: Int) throws {
        let golden = Self.goldens[index]
        let data = try Self.roundTrip(golden.data, stream: golden.stream, recordedAtMs: golden.recordedAtMs)
        let meta = try Self.roundTrip(
            golden.meta, stream: golden.stream, recordedAtMs: golden.recordedAtMs, previous: golden.data)
        let format1 =
            EventStorageCodec.compact(Data(golden.data.utf8))!.count + EventStorageCodec.compact(Data(golden.meta.utf8))!.count
        let format2 = data.stored.count + meta.stored.count
        // Measured when format 2 was made: 52 bytes fewer for the reserve, 47 for the settle.
        #expect(format1 - format2 >= 40, "\(golden.type): \(format1) → \(format2)")
        // The spend's UUID is stored in neither (its stream says it), the connection's once, in
        // `data` (17 bytes each).
        func packed(_ uuid: String) -> Data {
            Array(uuid.utf8).withUnsafeBufferPointer { text in
                var bytes: [UInt8] = []
                EventStorageCodec.appendUUIDBytes(text, at: 0, to: &bytes)
                return Data(bytes)
            }
        }
        let spend = packed(String(golden.stream.dropFirst("spend/".count)))
        #expect(data.stored.range(of: spend) == nil && meta.stored.range(of: spend) == nil)
        let connection = packed("01a22f63-55a6-792e-a0ba-88d2d93940c4")
        #expect(data.stored.range(of: connection) != nil && meta.stored.range(of: connection) == nil)
    }

    /// Damaged references fail with an error, never a crash, a read outside the window or a
    /// wrong text. The window here is "abc", and one byte the value has written.
    @Test(arguments: [
        ([0x02, 0x61, 0x09], "cut short before its position"),
        ([0x02, 0x61, 0x09, 0x00], "cut short before its length"),
        ([0x02, 0x61, 0x09, 0x01, 0x00], "one byte past the window"),
        ([0x02, 0x61, 0x09, 0x04, 0x00], "starting where the value writes"),
        ([0x02, 0x61, 0x09, 0x80, 0x80, 0x80, 0x01, 0x00], "a position longer than three bytes"),
        ([0x02, 0x61, 0x09, 0x00, 0xFF], "longer than the window"),
        ([0x01, 0x61, 0x09, 0x00, 0x00], "a reference in format 1, where it is not a code"),
    ] as [([UInt8], String)])
    func damagedReferencesFailToDecode(_ bytes: [UInt8], _ damage: String) {
        let prefix = Array("abc".utf8)
        #expect(throws: EventStorageCodec.DecodingError.self, "\(damage)") {
            try bytes.withUnsafeBytes { try EventStorageCodec.json($0, prefix: prefix) }
        }
        var scratch: [UInt8] = []
        #expect(throws: EventStorageCodec.DecodingError.self, "\(damage)") {
            try bytes.withUnsafeBytes { try EventStorageCodec.decode($0, intoScratch: &scratch, prefix: prefix) }
        }
    }

    /// The same window with a reference to all of it, which is allowed: the bound is exact.
    @Test func aReferenceToTheWholeWindowReadsBack() throws {
        let prefix = Array("abc".utf8)
        let bytes: [UInt8] = [0x02, 0x61, 0x09, 0x00, 0x00]  // "a", then the window's 4 bytes from 0
        let back = try bytes.withUnsafeBytes { try EventStorageCodec.json($0, prefix: prefix) }
        #expect(String(decoding: back, as: UTF8.self) == "aabca")
        var scratch: [UInt8] = []
        let length = try bytes.withUnsafeBytes { try EventStorageCodec.decode($0, intoScratch: &scratch, prefix: prefix) }
        #expect(String(decoding: scratch[..<length], as: UTF8.self) == "aabca")
    }

    /// Random rows made of few pieces, so that they repeat each other: whatever the window,
    /// the value reads back byte for byte both ways.
    @Test func anyRowOfThesePiecesReadsBackByteForByte() async {
        let pieces = ["01a22f63-55a6-792e-a0ba-88d2d93940c4", "1796091368871", #""spend_id":""#, "soak-payer", #"",""#, "{", "}", "é", "x", "0"]
        let piece = Gen.int(in: 0...(pieces.count - 1))
        let row = zip(piece.array(of: 0...6), piece.array(of: 0...30), piece.array(of: 0...30))
        await propertyCheck(count: 1_000, input: row) { row in
            let (stream, previous, value) = row
            let text = value.map { pieces[$0] }.joined()
            let previousText = previous.map { pieces[$0] }.joined()
            let decoded = try? Self.roundTrip(
                text, stream: stream.map { pieces[$0] }.joined(), recordedAtMs: 1_796_091_368_871, previous: previousText)
            #expect(decoded?.back == Data(text.utf8))
            #expect(decoded?.throughScratch == Data(text.utf8))
        }
    }

    /// A row's two values encoded with one finder (`compactRow`, as every append stores them)
    /// are the bytes each gets from a finder of its own, the `data` the `meta`'s previous value:
    /// over random rows of repeating pieces (a control byte among them, which keeps a value as
    /// text), the golden events, and values long enough to reach past the referable window.
    @Test func aRowsValuesEncodedTogetherAreTheBytesEachGetsAlone() async {
        func expectSame(_ data: String, _ meta: String, _ stream: String, _ recordedAtMs: Int64) {
            let prefix = EventStorageCodec.contextPrefix(stream: stream, recordedAtMs: recordedAtMs)
            let together = EventStorageCodec.compactRow(data: Data(data.utf8), meta: Data(meta.utf8), prefix: prefix)
            let alone = (
                EventStorageCodec.compact(Data(data.utf8), prefix: prefix),
                EventStorageCodec.compact(Data(meta.utf8), prefix: prefix, previous: Data(data.utf8))
            )
            #expect(together.data == alone.0, "data of \(data.prefix(60))")
            #expect(together.meta == alone.1, "meta of \(meta.prefix(60))")
        }
        for golden in Self.goldens { expectSame(golden.data, golden.meta, golden.stream, golden.recordedAtMs) }
        // The `data` ends with a copy from 20 bytes back, and the `meta` starts with the same 20
        // bytes, whose last 5 are also its first: a finder that still followed the `data`'s last
        // copy would take all 20 where a fresh one takes the nearest 5.
        let twenty = "ghijk" + "lmnopqrstu" + "ghijk"
        expectSame(twenty + twenty, twenty + "zz", "audit/batch", 1)
        // A run that starts in the `data`'s last bytes and goes on in the `meta`: the positions
        // the `data`'s finder could not hash yet are in the tables when the `meta` looks.
        expectSame("qqqqghij", "klmnop" + "ijklmnop", "audit/batch", 1)
        let pieces = [
            "01a22f63-55a6-792e-a0ba-88d2d93940c4", "1796091368871", #""spend_id":""#, "soak-payer", #"",""#, "{", "}",
            "é", "x", "0",
        ]
        let piece = Gen.int(in: 0...(pieces.count - 1))
        // The `meta` often starts from a run of the `data` (as a payment's actor repeats its
        // connection); a tab (kept as text, so the values go one by one) in one row of ten.
        let row = zip(
            piece.array(of: 0...6), piece.array(of: 0...40), piece.array(of: 0...40), Gen.int(in: 0...40),
            Gen.int(in: 0...9))
        await propertyCheck(count: 1_000, input: row) { row in
            let (stream, data, meta, copied, tab) = row
            let dataText = data.map { pieces[$0] }.joined() + (tab == 0 ? "\t" : "")
            let metaText = data.suffix(copied).map { pieces[$0] }.joined() + meta.map { pieces[$0] }.joined()
            expectSame(dataText, metaText, stream.map { pieces[$0] }.joined(), 1_796_091_368_871)
        }
        // Empty and very short values.
        for (data, meta) in [("", ""), ("", #"{"a":1}"#), (#"{"a":1}"#, ""), ("{}", "{"), ("abc", "abcd")] {
            expectSame(data, meta, "audit/batch", 1)
        }
        // Past the referable window: a `data` that fills it, and ones that end just before it,
        // at it and within the four bytes a position hashes (prefix "audit/batch1": 12 bytes).
        let record = #"{"id":"01a22f63-55a6-792e-a0ba-88d2d93940c4","purpose":"treatment"},"#
        for count in [1_000, 930] {
            let data = "[" + String(repeating: record, count: count) + "{}]"
            expectSame(data, #"{"copy":"# + data + #","n":1}"#, "audit/batch", 1)
        }
        // 12 + 65,495 + extra bytes of prefix and `data`: 65,532 to 65,540.
        let letters = String(String(repeating: "ghijklmnopqrstuvwxyz", count: 3_300).prefix(65_484))
        let filler = #"{"copy":""# + letters + #""}"#
        for extra in 25...33 {
            let data = String(filler.dropLast(2)) + String(repeating: "h", count: extra) + #""}"#
            expectSame(data, #"{"copy":""# + String(data.suffix(60)) + #"","n":1}"#, "audit/batch", 1)
        }
    }

    /// A `meta` whose stored bound is over `scratchBoundMax` is measured before it is decoded,
    /// with its window: references into the `data` before it count, and reach no further.
    @Test func aLargeValueCopyingFromItsDataIsMeasuredWithItsWindow() throws {
        let data = #"{"records":""# + (0..<400).map { "01a22f63-55a6-792e-a0ba-\(String(format: "%012x", $0 * 7919))" }.joined() + #""}"#
        // Letters no code packs, in an order that does not repeat, after a copy of all of `data`.
        var state: UInt32 = 1
        let letters = (0..<20_000).map { _ -> Character in
            state = state &* 1_103_515_245 &+ 12_345
            return Character(UnicodeScalar(UInt8(ascii: "g") + UInt8((state >> 16) % 20)))
        }
        let meta = #"{"copy":"# + data + #","note":""# + String(letters) + #""}"#
        let result = try Self.roundTrip(meta, stream: "audit/batch", recordedAtMs: 1, previous: data)
        #expect((result.stored.count - 1) * EventStorageCodec.jsonBytesPerStoredByteMax > EventStorageCodec.scratchBoundMax)
        #expect(result.stored.count < letters.count + 1_000, "the copy of `data` is references: \(result.stored.count)")
        #expect(result.back == Data(meta.utf8) && result.throughScratch == Data(meta.utf8))
        // Read without `data` as its window, the same bytes fail: they reach past what precedes them.
        let prefix = EventStorageCodec.contextPrefix(stream: "audit/batch", recordedAtMs: 1)
        var scratch: [UInt8] = []
        #expect(throws: EventStorageCodec.DecodingError.self) {
            try result.stored.withUnsafeBytes { try EventStorageCodec.decode($0, intoScratch: &scratch, prefix: prefix) }
        }
    }

    /// Since event_storage_v2 the log's rows are written in format 2: a build from before that
    /// still has the file open writes format 1, and its insert is refused. Text is still taken.
    @Test(arguments: [("format 1", true), ("format 2", false), ("text", false)])
    func anInsertInFormat1IsRefused(_ form: String, _ refused: Bool) async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        let head = try test.ledger.events(afterSeq: 0, limit: 1)[0]
        let next = RecordedEvent(
            seq: 2, eventId: "next", idempotencyKey: nil, stream: head.stream, streamVersion: 2, type: head.type,
            typeVersion: head.typeVersion, data: head.data, meta: head.meta, recordedAtMs: head.recordedAtMs,
            prevHash: head.hash)
        let prefix = EventStorageCodec.contextPrefix(stream: next.stream, recordedAtMs: next.recordedAtMs)
        let (data, meta): (DatabaseValue, DatabaseValue) =
            switch form {
            case "format 1": (EventStorageCodec.compact(next.data)!.databaseValue, EventStorageCodec.compact(next.meta)!.databaseValue)
            case "format 2":
                (
                    EventStorageCodec.compact(next.data, prefix: prefix)!.databaseValue,
                    EventStorageCodec.compact(next.meta, prefix: prefix, previous: next.data)!.databaseValue
                )
            default: (String(decoding: next.data, as: UTF8.self).databaseValue, String(decoding: next.meta, as: UTF8.self).databaseValue)
            }
        let insert = {
            try await test.ledger.database.write { db in
                try db.execute(
                    sql: "INSERT INTO events (\(RecordedEvent.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        next.seq, next.eventId, nil, next.stream, next.streamVersion, EventTypeStorage.stored(type: next.type),
                        next.typeVersion, data, meta,
                        next.recordedAtMs, nil, next.hash,
                    ])
            }
        }
        if refused {
            await #expect {
                try await insert()
            } throws: { error in
                (error as? DatabaseError)?.message?.contains("this grantledger is older than the ledger file") == true
            }
            #expect(try test.ledger.eventCount() == 1)
        } else {
            try await insert()
            #expect(try test.ledger.events(afterSeq: 1, limit: 1) == [next])
            let check = try await test.ledger.database.read { try ChainCheck.run($0) }
            #expect(check.chainBreak == nil && check.eventCount == 2)
        }
    }

    /// A value over the referable window: references point into its first 64 KiB only, and it
    /// reads back.
    @Test func aValueLargerThanTheReferableWindowReadsBack() throws {
        let record = #"{"id":"01a22f63-55a6-792e-a0ba-88d2d93940c4","purpose":"treatment","subject":"soak-payer"},"#
        let text = "[" + String(repeating: record, count: 2_000) + "{}]"
        #expect(text.utf8.count > EventStorageCodec.referableWindowCount)
        let result = try Self.roundTrip(text, stream: "audit/batch", recordedAtMs: 1, previous: "")
        #expect(result.back == Data(text.utf8) && result.throughScratch == Data(text.utf8))
        #expect(result.stored.count < text.utf8.count / 10, "\(result.stored.count) of \(text.utf8.count)")
    }
}

extension EventStorageReferencesTests {
    /// Through a real ledger of payments: rows are stored in format 2, read back as written,
    /// and the chain check (which decodes each `meta` with the `data` laid out before it) agrees
    /// with the walk. With `data` rewritten as text or in format 1 beside a format 2 `meta` that
    /// copies from it, nothing changes; with `data` changed, its row breaks.
    @Test func aLedgerOfPaymentsStoresReferencesAndChecksItsChainAsItsWalkDoes() async throws {
        let spends = SpendKeysTests()
        let test = try await spends.ledgerWithSpends()
        // As the server records a payment: the connection acts on behalf of its user.
        let metadata = EventMetadata(
            actor: .init(id: "connection:\(SpendKeysTests.connectionId)", role: "app"), onBehalfOf: "u",
            subject: .init(id: "u", idType: "user"), action: .execute, source: .init(serviceId: "grantledger", ip: "127.0.0.1"),
            requestId: "694ce87b-e369-4966-bdcb-432369b6e1d0")
        func submit(_ command: SpendCommand) async throws {
            let outcome = try await test.ledger.submit(try CommandEnvelope(SpendCommandHandler(command), metadata: metadata))
            guard case .accepted = outcome else { throw LedgerError(code: .storage, message: "refused: \(outcome)") }
        }
        for index in 4..<8 {
            try await submit(
                .reserve(
                    try ReserveSpend(
                        spendId: SpendKeysTests.spendId(index), connectionId: SpendKeysTests.connectionId,
                        method: "pay_keysend", amountMsat: 1_000, feeReserveMsat: 10, holdTimeoutMs: 60_000)))
        }
        for index in 4..<8 {
            try await submit(.settle(try SettleSpend(spendId: SpendKeysTests.spendId(index), amountMsat: 1_000, feeMsat: 1)))
        }
        let written = try test.ledger.events(afterSeq: 0, limit: 100)
        let kinds = try await test.ledger.database.read { db in
            try Data.fetchAll(db, sql: "SELECT substr(data, 1, 1) || substr(meta, 1, 1) FROM events ORDER BY seq")
        }
        #expect(kinds.allSatisfy { $0 == Data([EventStorageCodec.version2, EventStorageCodec.version2]) })
        let settles = written.filter { $0.type == "SpendSettled" }.map(\.seq)
        #expect(settles.count == 5)

        func check() async throws -> (ChainBreak?, ChainBreak?, Int64) {
            try await test.ledger.database.read { db in
                let fast = try ChainCheck.run(db, batchesInFlight: 0)
                return (fast.chainBreak, try ChainWalk.walk(db) { _ in }, fast.eventCount)
            }
        }
        #expect(try await check() == (nil, nil, Int64(written.count)))

        // `data` as text on one settle, in format 1 on another: their `meta` stays format 2.
        try await test.ledger.database.write { db in
            let trigger = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events_refuse_update'")!
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            defer { try? db.execute(sql: trigger) }
            let text = written.first { $0.seq == settles[1] }!.data
            try db.execute(sql: "UPDATE events SET data = ? WHERE seq = ?", arguments: [String(decoding: text, as: UTF8.self), settles[1]])
            let format1 = EventStorageCodec.compact(written.first { $0.seq == settles[2] }!.data)!
            try db.execute(sql: "UPDATE events SET data = ? WHERE seq = ?", arguments: [format1, settles[2]])
            // And a whole row in format 1, as a build from before stored it.
            let reserve = written.first { $0.type == "SpendReserved" && $0.seq > settles[0] }!
            try db.execute(
                sql: "UPDATE events SET data = ?, meta = ? WHERE seq = ?",
                arguments: [EventStorageCodec.compact(reserve.data)!, EventStorageCodec.compact(reserve.meta)!, reserve.seq])
        }
        #expect(try test.ledger.events(afterSeq: 0, limit: 100) == written)
        #expect(try await check() == (nil, nil, Int64(written.count)))
        let report = try test.ledger.verify()
        #expect(report.isIntact, "\(String(describing: report.chainBreak)) \(report.projectionMismatches)")

        // The connection in a settle's `data` changed: its `meta` copies the actor from there.
        let changed = String(decoding: written.first { $0.seq == settles[3] }!.data, as: UTF8.self)
            .replacingOccurrences(of: SpendKeysTests.connectionId, with: "01a2316e-59b1-74e8-97b1-2b2c0918e976")
        try await test.ledger.database.write { db in
            let trigger = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events_refuse_update'")!
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            try db.execute(sql: "UPDATE events SET data = ? WHERE seq = ?", arguments: [changed, settles[3]])
            try db.execute(sql: trigger)
        }
        let (fast, walked, _) = try await check()
        #expect(fast == walked)
        #expect(fast?.seq == settles[3] && fast?.reason.contains("hash does not match") == true)
        let actor = try test.ledger.events(afterSeq: settles[3] - 1, limit: 1).first.map { String(decoding: $0.meta, as: UTF8.self) }
        #expect(actor?.contains("connection:01a2316e-59b1-74e8-97b1-2b2c0918e976") == true, "\(actor ?? "")")
    }
}
