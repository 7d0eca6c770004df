import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// `event_id` and `stream` keep a UUID as its 16 bytes where that reads back as the same text,
/// and as text otherwise; the chain's hash is over the text, so either form hashes alike.
@Suite struct EventKeyStorageTests {
    static let uuid = "01a2316e-5c0a-73c8-93f1-9dd8ef273c75"
    static let otherUUID = "01a2316f-19ee-7bf1-8e1b-eb0b512c2a9c"

    /// Each stream, and the bytes its packed form takes (nil: kept as text).
    static let streams: [(text: String, packedBytes: Int?)] = [
        ("spend/\(uuid)", 1 + 16),  // a listed prefix, as its code (EventStreamPrefixesTests)
        ("connection/\(uuid)", 1 + 16),
        ("spent/\(uuid)", 1 + 6 + 16),
        ("spend/\(uuid)/rejections", 1 + 6 + 16 + 11),
        (uuid, 1 + 16),
        ("a/\(uuid)/b/\(otherUUID)", 1 + 2 + 16 + 39),  // the first UUID is packed
        ("spend/\(uuid)/ünïcode", 1 + 6 + 16 + 10),
        (String(repeating: "p", count: 254) + "/" + uuid, 1 + 255 + 16),  // starts at byte 255
        (String(repeating: "p", count: 255) + "/" + uuid, nil),  // starts at byte 256
        ("connection/\(uuid.uppercased())", nil),  // would read back in lower case
        ("spend/" + uuid.dropLast() + "g", nil),
        ("spend/" + uuid.replacingOccurrences(of: "-", with: "_"), nil),
        ("spend/x\(uuid)", nil),  // neither at the start nor right after a slash
        ("spend/\(uuid.dropLast())", nil),
        ("checkpoint-keys", nil),
        ("", nil),
    ]

    @Test(arguments: streams)
    func aStreamIsPackedOnlyWhereItReadsBackAsTheSameText(text: String, packedBytes: Int?) {
        let stored = EventKeyStorage.stored(stream: text)
        switch stored.storage {
        case .blob(let bytes):
            #expect(bytes.count == packedBytes)
            var appended: [UInt8] = [7]
            bytes.withUnsafeBytes { EventKeyStorage.appendStreamText(ofBlob: $0, to: &appended) }
            #expect(appended == [7] + Array(text.utf8), "what a replay reads")
            #expect(Self.chainCheckText(of: bytes, EventKeyStorage.appendStreamText) == Array(text.utf8))
        case .string(let kept):
            #expect(packedBytes == nil)
            #expect(kept == text)
        default:
            Issue.record("stored as \(stored)")
        }
        #expect(EventKeyStorage.stream(stored) == text)
    }

    static let eventIds: [(text: String, packed: Bool)] = [
        (uuid, true), (otherUUID, true), (uuid.uppercased(), false), ("event-7", false), (uuid + " ", false),
        (String(uuid.dropFirst()), false), ("", false),
    ]

    @Test(arguments: eventIds)
    func anEventIdIsPackedOnlyWhenItIsALowerCaseUUID(text: String, packed: Bool) throws {
        let stored = EventKeyStorage.stored(eventId: text)
        if packed {
            let bytes = try #require(Data.fromDatabaseValue(stored))
            #expect(bytes.count == 16)
            var appended: [UInt8] = [7]
            bytes.withUnsafeBytes { EventKeyStorage.appendEventIdText(ofBlob: $0, to: &appended) }
            #expect(appended == [7] + Array(text.utf8), "what a replay reads")
            #expect(Self.chainCheckText(of: bytes, EventKeyStorage.appendEventIdText) == Array(text.utf8))
        } else {
            #expect(String.fromDatabaseValue(stored) == text)
        }
        #expect(EventKeyStorage.eventId(stored) == text)
    }

    /// Texts made of UUIDs (either case), slashes and other characters read back unchanged
    /// whichever form they are kept in.
    @Test func anyStreamReadsBackAsItsText() {
        var random = SeededRandom(seed: 20_261_201)
        let pieces = ["/", "spend", "é", "-", "a", Self.uuid, Self.uuid.uppercased(), Self.otherUUID, "0", "/rejections"]
        var packedCount = 0
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let stored = EventKeyStorage.stored(stream: text)
            if case .blob = stored.storage { packedCount += 1 }
            #expect(EventKeyStorage.stream(stored) == text, "\(text)")
            #expect(EventKeyStorage.eventId(EventKeyStorage.stored(eventId: text)) == text, "\(text)")
        }
        #expect(packedCount > 500, "the texts include packed ones")
    }

    /// A BLOB no writer made (a damaged file) reads as its hex, so the row's hash fails.
    @Test func aDamagedBlobReadsAsItsHex() {
        #expect(EventKeyStorage.eventId(Data([0x00, 0x11, 0xAB]).databaseValue) == "0011ab")
        var appended: [UInt8] = []
        Data([0x00, 0x11, 0xAB]).withUnsafeBytes { EventKeyStorage.appendEventIdText(ofBlob: $0, to: &appended) }
        Data([0x05, 0x61, 0x62]).withUnsafeBytes { EventKeyStorage.appendStreamText(ofBlob: $0, to: &appended) }
        #expect(String(decoding: appended, as: UTF8.self) == "0011ab056162")
        #expect(Self.chainCheckText(of: Data([0x00, 0x11, 0xAB]), EventKeyStorage.appendEventIdText) == Array("0011ab".utf8))
        #expect(Self.chainCheckText(of: Data([0x05, 0x61, 0x62]), EventKeyStorage.appendStreamText) == Array("056162".utf8))
        // A prefix code past the table's end.
        let pastTheTable = Data([UInt8(EventKeyStorage.streamPrefixTable.count + 1)] + Array(repeating: 0xAB, count: 16))
        #expect(Self.chainCheckText(of: pastTheTable, EventKeyStorage.appendStreamText) == Array(Hex.encode(pastTheTable).utf8))
        #expect(EventKeyStorage.stream(pastTheTable.databaseValue) == Hex.encode(pastTheTable))
        #expect(EventKeyStorage.stream(Data([0x05, 0x61, 0x62]).databaseValue) == "056162")
        #expect(EventKeyStorage.stream(Data().databaseValue) == "")
    }

    /// A stream BLOB whose text around the UUID is not UTF-8 (a damaged file) reads the same way
    /// in a replay (`stream(_:)`) and in the chain check (`appendStreamText`): both repair it alike.
    @Test(arguments: [[0xFF], [0x61, 0xC3], [0xE2, 0x82], [0x61, 0x62]] as [[UInt8]])
    func aStreamsTextReadsAlikeOnBothPathsWhateverItsBytes(around: [UInt8]) throws {
        let uuid = try #require(Data.fromDatabaseValue(EventKeyStorage.stored(eventId: Self.uuid)))
        let blob = Data([UInt8(around.count)] + around + uuid + around)
        var appended: [UInt8] = []
        blob.withUnsafeBytes { EventKeyStorage.appendStreamText(ofBlob: $0, to: &appended) }
        let read = try #require(EventKeyStorage.stream(blob.databaseValue))
        #expect(appended == Array(read.utf8))
        #expect(Self.chainCheckText(of: blob, EventKeyStorage.appendStreamText) == Array(read.utf8))
        #expect(read.contains(Self.uuid))
    }

    /// What the chain check appends for a stored key (its own buffer), after a byte already there.
    static func chainCheckText(
        of blob: Data, _ append: (UnsafeRawBufferPointer, GrowableBytes) -> Void
    ) -> [UInt8] {
        let text = GrowableBytes(capacity: 1)
        text.append(7)
        blob.withUnsafeBytes { append($0, text) }
        let appended = Array(text.buffer)
        #expect(appended.first == 7, "the byte before is kept")
        return Array(appended.dropFirst())
    }

    @Test func theFunctionsAreRegisteredOnceOnAConnection() throws {
        try DatabaseQueue().inDatabase { (db: Database) throws in
            #expect(throws: DatabaseError.self) { try String.fetchOne(db, sql: "SELECT grantledger_event_id_text('x')") }
            let first = try EventKeyStorage.addFunctions(to: db)
            #expect(first)
            #expect(try String.fetchOne(db, sql: "SELECT grantledger_event_id_text('x')") == "x")
            let again = try EventKeyStorage.addFunctions(to: db)
            #expect(!again, "registered again, it would expire the connection's statements")
        }
    }

    /// The trail's SQL reads an id as Swift does, in either form.
    @Test(arguments: [
        EventKeyStorage.stored(eventId: uuid), EventKeyStorage.stored(eventId: "event-7"), Data([0xAB, 0x01]).databaseValue,
    ])
    func theSQLTextOfAnEventIdIsTheSwiftText(stored: DatabaseValue) throws {
        let text = try DatabaseQueue().read { db in
            try EventKeyStorage.addFunctions(to: db)
            return try String.fetchOne(db, sql: "SELECT \(EventKeyStorage.eventIdTextSQL("x")) FROM (SELECT ? AS x)", arguments: [stored])
        }
        #expect(text == EventKeyStorage.eventId(stored))
    }

    /// The function is registered with SQLite directly; it answers what GRDB's wrapping of
    /// `eventId(_:)` answered, byte for byte and storage class for storage class, so checksums
    /// printed before it still compare.
    @Test(arguments: [
        "X'\(uuid.replacingOccurrences(of: "-", with: ""))'", "X'AB01'", "X''", "'event-7'", "''",
        "'a' || char(0) || 'b'", "CAST(X'61FF62' AS TEXT)", "'ünïcode'", "NULL", "42", "4.5",
    ])
    func theFunctionAnswersAsGRDBsWrappingDid(sql: String) throws {
        let reference = DatabaseFunction("reference_event_id_text", argumentCount: 1, pure: true) { values in
            values[0].isNull ? nil : EventKeyStorage.eventId(values[0])
        }
        let (direct, wrapped) = try DatabaseQueue().inDatabase { db in
            try EventKeyStorage.addFunctions(to: db)
            db.add(function: reference)
            let direct = try Row.fetchOne(
                db, sql: "SELECT typeof(f), hex(f) FROM (SELECT grantledger_event_id_text(\(sql)) AS f)")!
            let wrapped = try Row.fetchOne(
                db, sql: "SELECT typeof(f), hex(f) FROM (SELECT reference_event_id_text(\(sql)) AS f)")!
            return (direct, wrapped)
        }
        #expect(direct == wrapped, "\(sql)")
    }
}
