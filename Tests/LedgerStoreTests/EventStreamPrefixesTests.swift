import Crypto
import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// Since event_stream_prefixes_v1 a stream that is a listed prefix and a UUID is kept as the
/// prefix's code and the UUID's 16 bytes; rows written before keep event_keys_v1's form or the
/// text. Every form reads as the same text, hashes alike, and is found as one stream.
@Suite struct EventStreamPrefixesTests {
    static let uuid = "01a2316e-5c0a-73c8-93f1-9dd8ef273c75"

    /// Rows name their stream's prefix by position: the table as shipped never changes. A build
    /// that appends prefixes changes this digest with a migration of its own.
    @Test func theTableIsAsShipped() {
        let digest = SHA256.hash(data: Data(EventKeyStorage.streamPrefixes.joined(separator: "\n").utf8))
        #expect(Hex.encode(Data(digest)) == "4be04bf14c74fe5b16686621e75d66c422393d2baaef505290e05e8724270b05")
        #expect(EventKeyStorage.streamPrefixes.count == 11)
        #expect(Set(EventKeyStorage.streamPrefixes).count == 11, "no prefix twice")
    }

    /// Every stream this build names by an id of its own drawing (a UUID) is coded.
    @Test(arguments: [
        Spend.stream(uuid), Connection.stream(uuid), OAuthClient.stream(uuid), GatewayAccessRecorded.stream(uuid),
        AccessReported.stream(sourceId: uuid), OrganizationRegistered.stream(uuid), SigningSessionStarted.stream(uuid),
        NutsAccessTokenIssued.stream(uuid), ObpBankCreated.stream(uuid), ObpUserCreated.stream(uuid),
    ])
    func theStreamsThisBuildNamesByAUUIDAreCoded(_ stream: String) throws {
        let stored = EventKeyStorage.stored(stream: stream)
        guard case .blob(let bytes) = stored.storage else {
            Issue.record("\(stream) kept as text")
            return
        }
        #expect(bytes.count == 17 && bytes.first! > 0, "\(stream): \(Hex.encode(bytes))")
        #expect(EventKeyStorage.stream(stored) == stream)
    }

    /// Each stream, the stored bytes' length, and its first byte (the prefix's code, or where
    /// event_keys_v1's form starts the UUID); nil: kept as text.
    static let forms: [(text: String, count: Int?, first: UInt8?)] = [
        ("spend/\(uuid)", 17, 1),
        ("connection/\(uuid)", 17, 2),
        ("obp-account/\(uuid)", 17, 11),
        (uuid, 17, 0),  // a bare UUID: event_keys_v1's form, which is 17 bytes too
        ("spend/\(uuid)/rejections", 1 + 6 + 16 + 11, 6),  // text after the UUID: packed
        ("spends/\(uuid)", 1 + 7 + 16, 7),  // not a listed prefix: packed
        ("x/spend/\(uuid)", 1 + 8 + 16, 8),
        ("spend/\(uuid.uppercased())", nil, nil),
        ("spend/", nil, nil),
    ]

    @Test(arguments: forms)
    func aStreamIsCodedOnlyWhenItIsAListedPrefixAndAUUID(text: String, count: Int?, first: UInt8?) {
        let stored = EventKeyStorage.stored(stream: text)
        switch stored.storage {
        case .blob(let bytes):
            #expect(bytes.count == count && bytes.first == first)
            var appended: [UInt8] = [7]
            bytes.withUnsafeBytes { EventKeyStorage.appendStreamText(ofBlob: $0, to: &appended) }
            #expect(appended == [7] + Array(text.utf8), "the chain check's reading")
        default:
            #expect(count == nil && stored == text.databaseValue)
        }
        #expect(EventKeyStorage.stream(stored) == text)
    }

    /// The forms a look-up asks for: coded, event_keys_v1's, text; a query's three arguments
    /// repeat the last where a stream has fewer.
    @Test func aLookUpAsksForEveryFormAStreamWasKeptIn() {
        let coded = EventKeyStorage.storedForms(ofStream: "spend/\(Self.uuid)")
        #expect(coded.count == 3)
        #expect(coded.map { EventKeyStorage.stream($0) } == Array(repeating: "spend/\(Self.uuid)", count: 3))
        if case .blob(let bytes) = coded[1].storage { #expect(bytes.count == 23) } else { Issue.record("not packed") }
        #expect(coded[2] == "spend/\(Self.uuid)".databaseValue)
        #expect(EventKeyStorage.storedForms(ofStream: Self.uuid).count == 2, "a bare UUID has one packed form")
        #expect(EventKeyStorage.storedForms(ofStream: "checkpoint-keys") == ["checkpoint-keys".databaseValue])
        #expect(EventKeyStorage.forms(ofStream: "checkpoint-keys") == ["checkpoint-keys", "checkpoint-keys", "checkpoint-keys"])
    }

    /// A code outside the table (a damaged file) reads as the bytes' hex, so the row's hash fails.
    @Test(arguments: [12, 0xFF] as [UInt8])
    func aCodeOutsideTheTableReadsAsItsHex(_ code: UInt8) {
        let bytes = [code] + Array(repeating: UInt8(0xAB), count: 16)
        #expect(EventKeyStorage.stream(Data(bytes).databaseValue) == Hex.encode(Data(bytes)))
    }

    /// A build from before event_stream_prefixes_v1 that still has the file open writes a listed
    /// prefix in event_keys_v1's form: refused, for every prefix of the table. The same form with
    /// text after the UUID, or an unlisted prefix, is taken, and so is the coded form.
    @Test func anInsertInTheFormBeforeIsRefusedForEveryListedPrefix() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        let head = try test.ledger.events(afterSeq: 0, limit: 1)[0]
        @Sendable func insert(_ stream: DatabaseValue, _ db: Database) throws {
            try db.execute(
                sql: "INSERT INTO events (\(RecordedEvent.columns)) VALUES (2, 'next', NULL, ?, 1, 'Marked', 1, '{}', '{}', 0, NULL, ?)",
                arguments: [stream, head.hash])
        }
        let uuidBytes = Array(repeating: UInt8(0x5C), count: 16)
        for prefix in EventKeyStorage.streamPrefixBytes {
            await #expect {
                try await test.ledger.database.write { db in
                    try insert(Data([UInt8(prefix.count)] + prefix + uuidBytes).databaseValue, db)
                }
            } throws: { error in
                (error as? DatabaseError)?.message?.contains("this grantledger is older than the ledger file") == true
            }
        }
        let taken: [DatabaseValue] = [
            Data([6] + Array("spend/".utf8) + uuidBytes + Array("/rejections".utf8)).databaseValue,
            Data([7] + Array("spends/".utf8) + uuidBytes).databaseValue,
            EventKeyStorage.stored(stream: "spend/\(Self.uuid)"),
            "spend/\(Self.uuid)".databaseValue,
        ]
        for stored in taken {
            try await test.ledger.database.write { db in
                try db.inSavepoint {
                    try insert(stored, db)
                    return .rollback
                }
            }
        }
        #expect(try test.ledger.eventCount() == 1)
    }

    func storedStreams(_ test: TestLedger) async throws -> [String] {
        try await test.ledger.database.read { db in
            try String.fetchAll(db, sql: "SELECT typeof(stream) || ' ' || length(stream) FROM events ORDER BY seq")
        }
    }

    @Test func rowsKeepCodedStreamsReadAsTextAndHash() async throws {
        let test = try await SpendKeysTests().ledgerWithSpends()
        #expect(try await storedStreams(test).allSatisfy { $0 == "blob 17" })
        let events = try test.ledger.events(afterSeq: 0, limit: 100)
        #expect(events.first?.stream == Connection.stream(SpendKeysTests.connectionId))
        #expect(events.dropFirst().allSatisfy { $0.stream.hasPrefix("spend/") })
        for event in events { #expect(EventHasher.hash(of: event) == event.hash) }
        let (fast, walked) = try await test.ledger.database.read { db in
            (try ChainCheck.run(db, batchesInFlight: 0), try ChainWalk.walk(db) { _ in })
        }
        #expect(fast.chainBreak == nil && walked == nil && fast.eventCount == Int64(events.count))
        #expect(try test.ledger.verify().isIntact)
    }

    /// A spend reserved before the migration (its row in event_keys_v1's form, or in text) is
    /// settled after it: the settle finds the reserve, takes version 2 of the same stream, and
    /// the stream reads as one, in version order. Had the look-up missed the older form, the
    /// settle would have been refused as a spend never reserved.
    /// The row is changed on the writer's own connection, or by another connection (another
    /// process) while the ledger is open: either way the writer asks again which forms the log
    /// holds (`OlderStreamForms`).
    @Test(arguments: ["packed", "text"], [false, true])
    func aStreamBegunInAnOlderFormGoesOnAsOneStream(_ form: String, onAnotherConnection: Bool) async throws {
        let test = try await SpendKeysTests().ledgerWithSpends()
        let stream = Spend.stream(SpendKeysTests.spendId(2))
        let reserve = try #require(try test.ledger.events(stream: stream, limit: 10).first)
        let older: DatabaseValue =
            form == "text"
            ? stream.databaseValue
            : Data([6] + Array("spend/".utf8) + Array(EventKeyStorage.stored(eventId: SpendKeysTests.spendId(2)).blobBytes))
                .databaseValue
        @Sendable func rewrite(_ db: Database) throws {
            let trigger = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events_refuse_update'")!
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            try db.execute(sql: "UPDATE events SET stream = ? WHERE seq = ?", arguments: [older, reserve.seq])
            try db.execute(sql: trigger)
        }
        if onAnotherConnection {
            let other = try DatabaseQueue(path: test.path)
            try await other.write(rewrite)
            try other.close()
        } else {
            try await test.ledger.database.write(rewrite)
        }
        #expect(try test.ledger.events(stream: stream, limit: 10) == [reserve])
        try await SpendKeysTests().settle(test, 2)
        let events = try test.ledger.events(stream: stream, limit: 10)
        #expect(events.map(\.streamVersion) == [1, 2])
        #expect(events.map(\.type) == [SpendReserved.type, SpendSettled.type])
        #expect(try await test.ledger.spend(id: SpendKeysTests.spendId(2))?.status == .settled)
        #expect(try test.ledger.verify().isIntact)
        let live = try test.ledger.projectionChecksums()
        #expect(try await test.ledger.replay().checksums == live)
    }
}

extension DatabaseValue {
    /// A BLOB's bytes (empty for any other value), for tests that build stored forms by hand.
    fileprivate var blobBytes: Data {
        if case .blob(let bytes) = storage { return bytes }
        return Data()
    }
}
