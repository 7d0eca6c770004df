import Foundation
import GRDB
import LedgerCore
import Testing

@testable import LedgerStore

/// `CommandRunner.streamPosition` reads a stream's last version over every form its rows may be
/// kept in (coded, event_keys_v1's packed form, text), in one statement, or over today's form
/// alone where the log holds no older one (`OlderStreamForms`).
@Suite struct StreamVersionTests {
    static let uuid = "0b7e3a52-93c4-4f5e-8d2a-6c1f0e9d8b7a"

    /// The log's columns the statements read, with the ledger's unique `(stream, stream_version)`
    /// and `event_id`.
    static func events() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE events (seq INTEGER PRIMARY KEY, event_id TEXT UNIQUE, stream TEXT,
                      stream_version INTEGER, UNIQUE (stream, stream_version))
                    """)
        }
        return queue
    }

    /// Whichever form holds the newest version, that version is the answer; other streams' rows
    /// do not count.
    @Test(arguments: [0, 1, 2])
    func theNewestVersionIsFoundInWhicheverFormHoldsIt(_ newestForm: Int) throws {
        let stream = Spend.stream(Self.uuid)
        let forms = EventKeyStorage.storedForms(ofStream: stream)
        try #require(forms.count == 3)
        let queue = try Self.events()
        let version = try queue.write { db in
            for (offset, form) in forms.enumerated() {
                let version = offset == newestForm ? 9 : Int64(offset + 1)
                try db.execute(
                    sql: "INSERT INTO events (stream, stream_version) VALUES (?, ?)", arguments: [form, version])
            }
            try db.execute(
                sql: "INSERT INTO events (stream, stream_version) VALUES (?, 50)",
                arguments: [EventKeyStorage.stored(stream: Spend.stream("1b7e3a52-93c4-4f5e-8d2a-6c1f0e9d8b7a"))])
            return try CommandRunner.streamPosition(stream, db, older: .all).version
        }
        #expect(version == 9)
    }

    @Test func aStreamOfOneFormAndANewStreamAreRead() throws {
        let queue = try Self.events()
        let (kept, new) = try queue.write { db in
            for version in 1...3 {
                try db.execute(
                    sql: "INSERT INTO events (stream, stream_version) VALUES ('checkpoint-keys', ?)",
                    arguments: [version])
            }
            return (
                try CommandRunner.streamPosition("checkpoint-keys", db, older: .all).version,
                try CommandRunner.streamPosition(Spend.stream(Self.uuid), db, older: .all).version
            )
        }
        #expect(kept == 3)
        #expect(new == 0)
    }

    /// Each form is a search of the `(stream, stream_version)` index, and no table is scanned.
    @Test func eachFormIsOneSearchOfTheIndex() throws {
        let queue = try Self.events()
        let plan = try queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(CommandRunner.streamVersionSQL)", arguments: [1, 2, 3])
                .map { $0["detail"] as String }
        }
        #expect(plan.filter { $0.contains("SEARCH events USING COVERING INDEX") }.count == 3, "\(plan)")
        // The outer `SELECT max(...)` reads no table ("SCAN CONSTANT ROW").
        #expect(!plan.contains { $0.contains("SCAN") && $0 != "SCAN CONSTANT ROW" }, "\(plan)")
    }

    /// What `OlderStreamForms.inLog` finds in a log holding one row of a stream in the given form
    /// (besides one in today's), and the version then found through the forms it leaves.
    static func found(_ stored: DatabaseValue, eventId: DatabaseValue? = nil, stream: String) throws -> (
        OlderStreamForms, Int64
    ) {
        let queue = try events()
        return try queue.write { db in
            try db.execute(
                sql: "INSERT INTO events (event_id, stream, stream_version) VALUES (?, ?, 1)",
                arguments: [
                    EventKeyStorage.stored(eventId: Self.uuid),
                    EventKeyStorage.stored(stream: Spend.stream("1b7e3a52-93c4-4f5e-8d2a-6c1f0e9d8b7a")),
                ])
            try db.execute(
                sql: "INSERT INTO events (event_id, stream, stream_version) VALUES (?, ?, 7)",
                arguments: [eventId ?? EventKeyStorage.stored(eventId: "2b7e3a52-93c4-4f5e-8d2a-6c1f0e9d8b7a"), stored])
            let older = try OlderStreamForms.inLog(db)
            return (older, try CommandRunner.streamPosition(stream, db, older: older).version)
        }
    }

    /// A log of today's forms only: nothing older, and a stream is one form, one search.
    @Test func aLogOfTodaysFormsHoldsNoOlderOne() throws {
        let stream = Spend.stream(Self.uuid)
        let (older, version) = try Self.found(EventKeyStorage.stored(stream: stream), stream: stream)
        #expect(older == OlderStreamForms(text: false, packedPrefixCodes: []))
        #expect(version == 7)
        #expect(EventKeyStorage.storedForms(ofStream: stream, older: older) == [EventKeyStorage.stored(stream: stream)])
    }

    /// A stream of each listed prefix in event_keys_v1's form is found by its prefix's code, and
    /// its version through that form.
    @Test(arguments: Array(EventKeyStorage.streamPrefixes.enumerated()))
    func aStreamInThePackedFormIsFoundByItsPrefix(_ index: Int, _ prefix: String) throws {
        let stream = prefix + Self.uuid
        let packed = Data(
            [UInt8(prefix.utf8.count)] + Array(prefix.utf8)
                + Array(EventKeyStorage.stored(eventId: Self.uuid).blobBytes))
        let (older, version) = try Self.found(packed.databaseValue, stream: stream)
        #expect(older == OlderStreamForms(text: false, packedPrefixCodes: [UInt8(index + 1)]))
        #expect(version == 7)
        #expect(EventKeyStorage.storedForms(ofStream: stream, older: older).count == 2)
    }

    /// A stream kept as text, or any event id kept as text, makes every stream's text a form to
    /// search.
    @Test(arguments: ["stream", "id"])
    func textIsFoundByAStreamOrAnId(_ which: String) throws {
        let stream = Spend.stream(Self.uuid)
        let (older, version) =
            which == "stream"
            ? try Self.found(stream.databaseValue, stream: stream)
            : try Self.found(
                EventKeyStorage.stored(stream: stream), eventId: "2b7e3a52-93c4-4f5e-8d2a-6c1f0e9d8b7a".databaseValue,
                stream: stream)
        #expect(older == OlderStreamForms(text: true, packedPrefixCodes: []))
        #expect(version == 7)
        #expect(EventKeyStorage.storedForms(ofStream: stream, older: older).count == 2)
        // A stream past a listed prefix, kept as text, is found too.
        let rejections = CommandRejected.stream(for: stream)
        let (olderRejections, _) = try Self.found(rejections.databaseValue, stream: rejections)
        #expect(olderRejections.text)
    }

    /// The stored stream handed to the insert is the one `stored(stream:)` makes, whatever forms
    /// were searched.
    @Test func theStreamHandedToTheInsertIsTodaysForm() throws {
        let queue = try Self.events()
        let streams = [
            Spend.stream(Self.uuid), CommandRejected.stream(for: Spend.stream(Self.uuid)), "checkpoint-keys",
            "spend/\(Self.uuid.uppercased())", "other/\(Self.uuid)",
        ]
        try queue.read { db in
            for stream in streams {
                for older in [OlderStreamForms.all, OlderStreamForms(text: false, packedPrefixCodes: [])] {
                    let position = try CommandRunner.streamPosition(stream, db, older: older)
                    #expect(position.stored == EventKeyStorage.stored(stream: stream), "\(stream)")
                    #expect(position.version == 0)
                }
            }
        }
    }

    /// Streams with no code keep today's form only, or that and the text.
    @Test func aStreamWithoutACodeHasNoPackedFormToSearch() {
        let none = OlderStreamForms(text: false, packedPrefixCodes: [])
        let rejections = CommandRejected.stream(for: Spend.stream(Self.uuid))
        #expect(EventKeyStorage.storedForms(ofStream: rejections, older: .all).count == 2)
        #expect(
            EventKeyStorage.storedForms(ofStream: rejections, older: none) == [
                EventKeyStorage.stored(stream: rejections)
            ])
        #expect(
            EventKeyStorage.storedForms(ofStream: "checkpoint-keys", older: .all) == ["checkpoint-keys".databaseValue])
        #expect(EventKeyStorage.storedForms(ofStream: Spend.stream(Self.uuid), older: .all).count == 3)
    }
}

extension DatabaseValue {
    /// A BLOB's bytes (empty for any other value).
    fileprivate var blobBytes: Data {
        if case .blob(let bytes) = storage { return bytes }
        return Data()
    }
}
