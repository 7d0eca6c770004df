import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

@Suite struct EventLogTests {
    /// A wall clock stepped back (NTP) must not make the log's time run backwards: `?at=` reads
    /// and time windows take `recorded_at_ms` as ordered with `seq`.
    @Test func recordedTimeNeverRunsBackwardsWhenTheClockIsSteppedBack() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        let firstMs = test.clock.ms
        test.clock.advance(seconds: -3600)
        try await test.submit(try test.grantCommand("c2"))
        let times = try await test.ledger.database.read { db in
            try Int64.fetchAll(db, sql: "SELECT recorded_at FROM events ORDER BY seq")
        }
        #expect(times == [firstMs, firstMs])
        #expect(try test.ledger.verify().isIntact)
    }

    @Test func updateAndDeleteOnTheEventLogAreRefusedBySQLite() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        for sql in ["UPDATE events SET type = 'Forged' WHERE seq = 1", "DELETE FROM events WHERE seq = 1"] {
            await #expect {
                try await test.ledger.database.write { db in try db.execute(sql: sql) }
            } throws: { error in
                (error as? DatabaseError)?.message?.contains("append-only") == true
            }
        }
        #expect(try test.ledger.eventCount() == 1)
        #expect(try test.ledger.verify().isIntact)
    }

    /// The log's insert triggers: a row must take the next seq, and since event_links_v1 it keeps
    /// no prev_hash (a build from before stores one: refused). A row that does both is taken.
    @Test(arguments: [
        (seq: Int64(2), prevHash: nil as Data?, refusal: nil as String?),
        (3, nil, "seq does not follow the head"),
        (1, nil, "seq does not follow the head"),
        (2, EventHasher.genesis, "this grantledger is older than the ledger file"),
    ])
    func anInsertThatDoesNotExtendTheChainIsRefused(seq: Int64, prevHash: Data?, refusal: String?) async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        let head = try test.ledger.events(afterSeq: 0, limit: 1)[0]
        let next = RecordedEvent(
            seq: seq, eventId: "next", idempotencyKey: nil, stream: "connection/x", streamVersion: 1,
            type: "ConnectionGranted", typeVersion: 1, data: Data("{}".utf8), meta: Data("{}".utf8), recordedAtMs: 0,
            prevHash: head.hash)
        let insert = { try await test.ledger.database.write { db in try next.insertAsGiven(prevHash: prevHash, db) } }
        if let refusal {
            await #expect {
                try await insert()
            } throws: { error in
                (error as? DatabaseError)?.message?.contains(refusal) == true
            }
            #expect(try test.ledger.eventCount() == 1)
        } else {
            try await insert()
            #expect(try test.ledger.eventCount() == 2)
            #expect(try test.ledger.events(afterSeq: 1, limit: 1) == [next])
            let check = try await test.ledger.database.read { try ChainCheck.run($0) }
            #expect(check.chainBreak == nil && check.eventCount == 2)
        }
    }

    @Test func tamperingWithARowMakesVerifyFailAndNameThatRow() async throws {
        let test = try TestLedger()
        for index in 1...5 { try await test.submit(try test.grantCommand("c\(index)")) }
        #expect(try test.ledger.verify().isIntact)
        let third = try #require(try test.ledger.events(afterSeq: 2, limit: 1).first)
        let tampered = String(decoding: third.data, as: UTF8.self).replacingOccurrences(of: "App c3", with: "Evil app")
        #expect(tampered != String(decoding: third.data, as: UTF8.self))
        try await test.ledger.database.write { db in
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            try db.execute(sql: "UPDATE events SET data = ? WHERE seq = 3", arguments: [tampered])
        }
        let report = try test.ledger.verify()
        #expect(!report.isIntact)
        #expect(report.chainBreak?.seq == 3)
    }

    @Test func rewritingARowAndItsHashIsCaughtAtTheNextLink() async throws {
        let test = try TestLedger()
        for index in 1...4 { try await test.submit(try test.grantCommand("c\(index)")) }
        try await test.ledger.database.write { db in
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            try db.execute(sql: "UPDATE events SET hash = zeroblob(32) WHERE seq = 2")
        }
        // seq 2's own hash no longer matches its contents.
        #expect(try test.ledger.verify().chainBreak?.seq == 2)
    }

    @Test func editedProjectionsMakeVerifyFailByName() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        try await test.ledger.database.write { db in
            try db.execute(sql: "UPDATE connections SET scopes = 'everything'")
        }
        let report = try test.ledger.verify()
        #expect(report.chainBreak == nil)
        #expect(report.projectionMismatches == ["connections"])
    }

    @Test func theSameIdempotencyKeyTwiceGivesOneEventAndTheSameAnswer() async throws {
        let test = try TestLedger()
        let command = try test.grantCommand("c1")
        let first = try await test.submit(command, key: "key-1", digest: "d1")
        // A retry generates a fresh id at the HTTP layer; the key still returns the first outcome.
        let second = try await test.submit(try test.grantCommand("c2"), key: "key-1", digest: "d1")
        guard case .accepted(let firstEvents, false) = first, case .accepted(let secondEvents, true) = second else {
            Issue.record("expected an accepted command and its replay, got \(first) and \(second)")
            return
        }
        #expect(firstEvents == secondEvents)
        #expect(try test.ledger.eventCount() == 1)
        #expect(try await test.ledger.connection(id: "c2") == nil)
    }

    @Test func aRejectionIsRecordedOnceAndReplayedForTheSameKey() async throws {
        let test = try TestLedger()
        let revoke = ConnectionCommand.revoke(try RevokeConnection(connectionId: "missing"))
        let first = try await test.submit(revoke, key: "key-2")
        let second = try await test.submit(revoke, key: "key-2")
        #expect(first == .rejected(Rejection(.notFound, "no connection with id missing"), replayed: false))
        #expect(second == .rejected(Rejection(.notFound, "no connection with id missing"), replayed: true))
        let events = try test.ledger.events(stream: "connection/missing/rejections", limit: 10)
        #expect(events.map(\.type) == ["CommandRejected"])
        #expect(try test.ledger.eventCount() == 1)
    }

    @Test func aKeyReusedForADifferentRequestIsRefused() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"), key: "key-3", digest: "request-a")
        await #expect(throws: LedgerError.idempotencyKeyReused) {
            try await test.submit(try test.grantCommand("c2"), key: "key-3", digest: "request-b")
        }
        #expect(try test.ledger.eventCount() == 1)
    }

    @Test func aStaleExpectedStreamVersionIsRefused() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        let rename = ConnectionCommand.update(
            try UpdateConnection(connectionId: "c1", name: "Renamed", nowMs: test.nowMs))
        let stale = try await test.submit(rename, expectedVersion: 0)
        guard case .rejected(let rejection, _) = stale else {
            Issue.record("expected a version conflict, got \(stale)")
            return
        }
        #expect(rejection.code == .versionConflict)
        #expect(try await test.ledger.connection(id: "c1")?.name == "App c1")
        let current = try await test.submit(rename, expectedVersion: 1)
        guard case .accepted(let events, _) = current else {
            Issue.record("expected acceptance, got \(current)")
            return
        }
        #expect(events.map(\.streamVersion) == [2])
        #expect(try await test.ledger.connection(id: "c1")?.name == "Renamed")
    }

    @Test func everyEventCarriesTheMetadataEnvelope() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        let event = try #require(try test.ledger.events(stream: "connection/c1", limit: 1).first)
        let meta = try event.metadata()
        #expect(meta == TestLedger.metadata)
        let json = try #require(try JSONSerialization.jsonObject(with: event.meta) as? [String: Any])
        #expect(Set(json.keys).isSuperset(of: ["actor", "subject", "action", "purpose", "source", "request_id"]))
        #expect(event.recordedAtMs == 1_800_000_000_000)
        #expect(event.type == "ConnectionGranted" && event.typeVersion == ConnectionGranted.typeVersion)
    }
}

@Suite struct DurabilityTests {
    /// GRDB's pool sets `synchronous = NORMAL` on its writer after our per-connection set-up: a
    /// commit then reaches the disk only at the next checkpoint, and a power cut or a disk error
    /// loses writes already answered 201 (tools/read_only.py lost every one). With `full` the
    /// writer's batches commit with NORMAL and are synced beside it (`WALSyncTests`); the
    /// connection is FULL again after each, so writes outside the batches (a checkpoint) sync
    /// their own commits.
    @Test(arguments: [(Ledger.Synchronous.full, 2, true), (.normal, 1, false)])
    func theWriterCommitsWithTheSynchronousLevelAskedFor(level: Ledger.Synchronous, pragma: Int, syncs: Bool)
        async throws
    {
        let syncCount = SyncCount()
        let test = try TestLedger(synchronous: level, wrapWALSync: { CountingWALSync(syncCount, $0) })
        let writer = try await test.ledger.database.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(writer == pragma)
        try await test.submit(try test.grantCommand("c-synced"))
        #expect((syncCount.value > 0) == syncs)
        let afterABatch = try await test.ledger.database.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(afterABatch == pragma)
    }

    @Test(arguments: [(Ledger.Synchronous.full, 2), (.normal, 1)])
    func aPoolWithoutTheLedgersWriterCommitsWithTheLevelAskedFor(level: Ledger.Synchronous, pragma: Int) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try Ledger.openPool(path: directory.appendingPathComponent("ledger.sqlite").path, synchronous: level)
        #expect(try pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == pragma)
    }

    /// Every command runs in a SAVEPOINT; with temp files, its statement journal spilled to
    /// /var/tmp and the writer wrote more bytes there than to the WAL. Readers keep the default,
    /// so a large sort spills to a file instead of growing the server's memory.
    @Test func theWritersStatementJournalsStayInMemoryAndReadersSortsDoNot() async throws {
        let test = try TestLedger()
        let writer = try await test.ledger.database.write { try Int.fetchOne($0, sql: "PRAGMA temp_store") }
        let reader = try await test.ledger.database.read { try Int.fetchOne($0, sql: "PRAGMA temp_store") }
        #expect(writer == 2)
        #expect(reader == 0)
    }
}
