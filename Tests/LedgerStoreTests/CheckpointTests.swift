import Crypto
import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// Signed checkpoints (NEN 7513 "onweerlegbaar"): a log rewritten or cut back, or stripped of its
/// append-only triggers, must fail `verify`.
@Suite struct CheckpointTests {
    let key = P256.Signing.PrivateKey()
    var signer: CheckpointSigner { CheckpointSigner(privateKey: key) }

    /// A ledger with its checkpoint key recorded (seq 1) and `grants` connections after it.
    func ledger(grants: Int) async throws -> TestLedger {
        let test = try TestLedger()
        try await test.ledger.recordCheckpointKey(key.publicKey, WriteContext(TestLedger.metadata))
        for index in 1...grants { try await test.submit(try test.grantCommand("c\(index)")) }
        return test
    }

    // MARK: Writing

    @Test func aCheckpointSignsTheHeadAndEncodesToExactlyTheFiveFields() async throws {
        let test = try await ledger(grants: 3)
        #expect(try test.ledger.latestCheckpoint() == nil)
        let written = try #require(try await test.ledger.writeCheckpoint(signer))
        let head = try #require(try test.ledger.events(afterSeq: 3, limit: 1).first)
        #expect(written.seq == 4 && head.seq == 4)
        #expect(written.hash == Hex.encode(head.hash))
        #expect(written.ledgerId == Hex.encode(try test.ledger.events(afterSeq: 0, limit: 1)[0].hash))
        #expect(written.recordedAt == "2027-01-15T08:00:00.000Z")
        #expect(try test.ledger.latestCheckpoint() == written)

        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(written)) as? [String: Any]
        #expect(Set(json?.keys.map { $0 } ?? []) == ["ledger_id", "seq", "hash", "recorded_at", "jws"])
        #expect(try JSONDecoder().decode(Checkpoint.self, from: JSONEncoder().encode(written)) == written)

        let parts = written.jws.split(separator: ".")
        let header = try JSONSerialization.jsonObject(with: #require(Base64URL.decode(parts[0], strict: true)))
        #expect(header as? [String: String] == ["alg": "ES256", "kid": signer.kid, "typ": "checkpoint+jwt"])
        #expect(try Checkpoint(jws: written.jws) == written)
    }

    @Test func anUnchangedHeadGetsNoSecondCheckpointAndAnEmptyLogNone() async throws {
        let empty = try TestLedger()
        #expect(try await empty.ledger.writeCheckpoint(signer) == nil)
        let test = try await ledger(grants: 1)
        #expect(try await test.ledger.writeCheckpoint(signer) != nil)
        #expect(try await test.ledger.writeCheckpoint(signer) == nil)
        try await test.submit(try test.grantCommand("c2"))
        #expect(try await test.ledger.writeCheckpoint(signer)?.seq == 3)
        #expect(try test.ledger.checkpointedSeq() == 3)
    }

    @Test func theCheckpointKeyIsRecordedInTheLogOnceWithItsThumbprintAsKid() async throws {
        let test = try TestLedger()
        #expect(try await test.ledger.recordCheckpointKey(key.publicKey, WriteContext(TestLedger.metadata)))
        #expect(try await test.ledger.recordCheckpointKey(key.publicKey, WriteContext(TestLedger.metadata)) == false)
        let events = try test.ledger.events(stream: "checkpoint-keys", limit: 10)
        #expect(events.map(\.type) == ["CheckpointKeyAdded"])
        let recorded = try test.ledger.checkpointKeys()
        #expect(recorded.map(\.kid) == [signer.kid])
        #expect(recorded.first?.addedAtMs == test.nowMs)
        let jwk = try #require(recorded.first?.publicJWK)
        #expect(CheckpointJWS.publicKey(fromJWK: jwk)?.rawRepresentation == key.publicKey.rawRepresentation)
        #expect(try test.ledger.verify().isIntact)
    }

    @Test func aCleanLedgerWithCheckpointsVerifies() async throws {
        let test = try await ledger(grants: 2)
        try await test.ledger.writeCheckpoint(signer)
        try await test.submit(try test.grantCommand("c3"))
        let newest = try #require(try await test.ledger.writeCheckpoint(signer))
        try await test.submit(try test.grantCommand("c4"))
        let report = try test.ledger.verify(checkpoint: newest)
        #expect(report.isIntact)
        #expect(report.checkpointsChecked == 2 && report.checkpointFailures == 0)
        #expect(report.newestCheckpoint == newest)
        #expect(report.externalCheckpointFailure == nil)
        #expect(report.triggerProblems.isEmpty)
        #expect(report.checkpointKids == [signer.kid])
    }

    // MARK: (a) a rewritten log

    @Test func aLogRewrittenWithRecomputedHashesFailsOnlyBecauseOfTheCheckpointsPastTheRewrite() async throws {
        let test = try await ledger(grants: 2)
        try await test.ledger.writeCheckpoint(signer)  // seq 3
        for index in 3...5 { try await test.submit(try test.grantCommand("c\(index)")) }
        try await test.ledger.writeCheckpoint(signer)  // seq 6
        #expect(try test.ledger.verify().isIntact)

        // From seq 4 (c3's grant) on, between the two checkpoints.
        try await rewrite(test.ledger, fromSeq: 4) { event in
            event.data = Data(String(decoding: event.data, as: UTF8.self).replacingOccurrences(of: "App c3", with: "Evil app").utf8)
        }
        let report = try test.ledger.verify()
        // The chain, triggers and projections all add up again: only the checkpoint at seq 6 can tell.
        #expect(report.chainBreak == nil)
        #expect(report.triggerProblems.isEmpty)
        #expect(report.projectionMismatches.isEmpty)
        #expect(!report.isIntact)
        #expect(report.checkpointsChecked == 2 && report.checkpointFailures == 1)
        let failure = try #require(report.firstCheckpointFailure)
        #expect(failure.seq == 6 && failure.kind == .hashDiffers)
        #expect(failure.reason.contains("rewritten at or before seq 6"), "\(failure)")

        // Without its checkpoints the recomputed chain would pass.
        _ = try await test.ledger.database.write { db in try db.execute(sql: "DELETE FROM checkpoints") }
        #expect(try test.ledger.verify().isIntact)
    }

    // MARK: (b) a log cut back

    @Test func aLogCutBackBelowACheckpointKeptElsewhereFails() async throws {
        let test = try await ledger(grants: 5)
        let kept = try #require(try await test.ledger.writeCheckpoint(signer))  // seq 6
        try await cutBack(test.ledger, toSeq: 4)
        _ = try await test.ledger.database.write { db in try db.execute(sql: "DELETE FROM checkpoints") }

        #expect(try test.ledger.verify().isIntact, "without the kept checkpoint nothing shows the cut")
        let report = try test.ledger.verify(checkpoint: kept)
        #expect(!report.isIntact)
        let failure = try #require(report.externalCheckpointFailure)
        #expect(failure.kind == .beyondHead && failure.seq == 6)
        #expect(failure.reason.contains("beyond the log's head at seq 4: the log was cut back"), "\(failure)")
    }

    @Test func aStoredCheckpointBeyondACutBackHeadFails() async throws {
        let test = try await ledger(grants: 3)
        try await test.ledger.writeCheckpoint(signer)  // seq 4
        try await cutBack(test.ledger, toSeq: 2)
        let failure = try #require(try test.ledger.verify().firstCheckpointFailure)
        #expect(failure.kind == .beyondHead && failure.seq == 4)
    }

    @Test func aLogCutBackAndWrittenOnPastAKeptCheckpointFailsOnItsHash() async throws {
        var test = try await ledger(grants: 4)
        let kept = try #require(try await test.ledger.writeCheckpoint(signer))  // seq 5
        try await cutBack(test.ledger, toSeq: 3)
        // The writer keeps the head it knew; a new one reads the cut log's head.
        test = try test.reopened()
        for index in 10...13 { try await test.submit(try test.grantCommand("c\(index)")) }
        let report = try test.ledger.verify(checkpoint: kept)
        let failure = try #require(report.externalCheckpointFailure)
        #expect(failure.kind == .hashDiffers && failure.seq == 5)
        #expect(report.chainBreak == nil)
    }

    // MARK: (c) the append-only triggers

    @Test(arguments: ["events_refuse_update", "events_refuse_delete", "events_chain_order"])
    func aDroppedAppendOnlyTriggerFailsVerifyByName(trigger: String) async throws {
        let test = try await ledger(grants: 1)
        _ = try await test.ledger.database.write { db in try db.execute(sql: "DROP TRIGGER \(trigger)") }
        let report = try test.ledger.verify()
        #expect(!report.isIntact)
        #expect(report.triggerProblems == ["trigger \(trigger) is missing: the log is no longer append-only"])
    }

    @Test func anAppendOnlyTriggerReplacedByAHarmlessOneFailsVerify() async throws {
        let test = try await ledger(grants: 1)
        _ = try await test.ledger.database.write { db in
            try db.execute(sql: "DROP TRIGGER events_refuse_delete")
            try db.execute(sql: "CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events BEGIN SELECT 1; END")
        }
        #expect(try test.ledger.verify().triggerProblems == ["trigger events_refuse_delete differs from the one the schema creates"])
    }

    // MARK: Signatures and keys

    @Test func aStoredCheckpointWhoseSignatureDoesNotVerifyFails() async throws {
        let test = try await ledger(grants: 2)
        let checkpoint = try #require(try await test.ledger.writeCheckpoint(signer))
        let forged = Self.flippingTheSignature(of: checkpoint.jws)
        _ = try await test.ledger.database.write { db in
            try db.execute(sql: "UPDATE checkpoints SET jws = ?", arguments: [forged])
        }
        let failure = try #require(try test.ledger.verify().firstCheckpointFailure)
        #expect(failure.kind == .badSignature && failure.seq == 3)
        #expect(failure.reason.contains("signature does not verify"))
    }

    @Test func storedCheckpointsAreCheckedAPageAtATimeOnTwoThreadsAndTheLowestFailureIsTheFirst() async throws {
        let test = try await ledger(grants: 1)
        var written: [Checkpoint] = []
        for index in 2...8 {
            written.append(try #require(try await test.ledger.writeCheckpoint(signer)))
            try await test.submit(try test.grantCommand("c\(index)"))
        }
        let forgedSeqs = [written[3].seq, written[5].seq]
        let toForge = written.filter { forgedSeqs.contains($0.seq) }
        _ = try await test.ledger.database.write { db in
            for checkpoint in toForge {
                try db.execute(
                    sql: "UPDATE checkpoints SET jws = ? WHERE seq = ?",
                    arguments: [Self.flippingTheSignature(of: checkpoint.jws), checkpoint.seq])
            }
        }
        // Pages of one row, of two, of three (the second page holds a forged row in each lane), and all at once.
        let outcomes = try await test.ledger.database.read { db in
            let chain = try ChainCheck.run(db, noting: CheckpointKeyAdded.type)
            var keys = CheckpointKeys()
            for event in chain.noted { keys.note(event) }
            let checker = CheckpointChecker(head: chain.eventCount, ledgerId: try Ledger.ledgerId(db), keys: keys)
            return try [1, 2, 3, CheckpointChecker.pageRows].map { try checker.checkStored(db, pageRows: $0) }
        }
        for outcome in outcomes {
            #expect(outcome.checked == 7 && outcome.failures == 2)
            #expect(outcome.first?.seq == forgedSeqs[0] && outcome.first?.kind == .badSignature)
            #expect(outcome.newestJWS == written.last?.jws)
        }
        let report = try test.ledger.verify()
        #expect(report.checkpointsChecked == 7 && report.checkpointFailures == 2)
        #expect(report.firstCheckpointFailure?.seq == forgedSeqs[0])
    }

    @Test(arguments: [0, 1, 2, 7, 1000])
    func twoLanesKeepTheOrderOfAPlainMap(count: Int) {
        let items = Array(0..<count)
        #expect(CheckpointChecker.twoLanes(items) { $0 * 3 + 1 } == items.map { $0 * 3 + 1 })
    }

    @Test func aKeptCheckpointWhoseSignatureDoesNotVerifyFails() async throws {
        let test = try await ledger(grants: 2)
        var checkpoint = try #require(try await test.ledger.writeCheckpoint(signer))
        checkpoint.jws = Self.flippingTheSignature(of: checkpoint.jws)
        #expect(try test.ledger.verify(checkpoint: checkpoint).externalCheckpointFailure?.kind == .badSignature)
    }

    @Test func aCheckpointSignedByAKeyTheLogDoesNotRecordFails() async throws {
        let test = try await ledger(grants: 2)
        let stranger = CheckpointSigner(privateKey: P256.Signing.PrivateKey())
        let checkpoint = try #require(try await test.ledger.writeCheckpoint(stranger))
        let report = try test.ledger.verify(checkpoint: checkpoint)
        #expect(report.firstCheckpointFailure?.kind == .unknownKey)
        #expect(report.externalCheckpointFailure?.kind == .unknownKey)
        #expect(report.externalCheckpointFailure?.reason.contains("does not record as a checkpoint key") == true)
    }

    @Test func aCheckpointOlderThanTheRecordOfItsKeyFails() async throws {
        let test = try TestLedger()
        for index in 1...2 { try await test.submit(try test.grantCommand("c\(index)")) }
        let early = try #require(try await test.ledger.writeCheckpoint(signer))  // seq 2, key not yet recorded
        try await test.ledger.recordCheckpointKey(key.publicKey, WriteContext(TestLedger.metadata))  // seq 3
        let failure = try #require(try test.ledger.verify(checkpoint: early).externalCheckpointFailure)
        #expect(failure.kind == .unknownKey)
        #expect(failure.reason.contains("records only from seq 3 on"))
    }

    @Test func aStoredRowEditedAwayFromItsJWSFails() async throws {
        let test = try await ledger(grants: 2)
        try await test.ledger.writeCheckpoint(signer)
        _ = try await test.ledger.database.write { db in
            try db.execute(sql: "UPDATE checkpoints SET hash = ?", arguments: [String(repeating: "0", count: 64)])
        }
        #expect(try test.ledger.verify().firstCheckpointFailure?.kind == .malformed)
    }

    @Test func aKeptCheckpointOfAnotherLedgerFails() async throws {
        let other = try await ledger(grants: 1)
        let theirs = try #require(try await other.ledger.writeCheckpoint(signer))
        let test = try await ledger(grants: 3)
        #expect(try test.ledger.verify(checkpoint: theirs).externalCheckpointFailure?.kind == .otherLedger)
    }

    // MARK: Pieces

    @Test func rfc3339MillisecondsInUTCMatchFoundation() {
        #expect(RFC3339.string(unixMs: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.string(unixMs: 951_782_400_007) == "2000-02-29T00:00:00.007Z")
        #expect(RFC3339.string(unixMs: -1) == "1969-12-31T23:59:59.999Z")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let ms = Int64.random(in: 0..<4_102_444_800_000, using: &random)
            #expect(
                RFC3339.string(unixMs: ms) == formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)),
                "\(ms)")
        }
    }

    /// A minute's limit: a watch the writer never fed would leave `woke` waiting for ever (the
    /// limit cancels the test, which cancels `woke`'s wait).
    @Test(.timeLimit(.minutes(1)))
    func theHeadWatchWakesOnACommitThatReachesItsSeqAndNotBefore() async throws {
        let test = try TestLedger()
        let watch = try await test.ledger.watchHead()
        #expect(watch.head == 0)
        let woke = Task {
            await watch.wait(untilHeadReaches: 2)
            return watch.head
        }
        try await test.submit(try test.grantCommand("c1"))
        #expect(watch.head == 1)
        try await test.submit(try test.grantCommand("c2"))
        // Cancelled with the test when its time runs out: a task's value does not pass that on.
        #expect(await withTaskCancellationHandler { await woke.value } onCancel: { woke.cancel() } == 2)
        let cancelled = Task { await watch.wait(untilHeadReaches: 100) }
        cancelled.cancel()
        await cancelled.value
    }

    /// Rows another process appended reach the watch when it is asked for (and, after that, with
    /// the writer's next batch, which reads the head afresh): the writer itself never saw them.
    @Test func theHeadWatchStartsFromTheHeadAnotherProcessLeft() async throws {
        let test = try TestLedger()
        let other = try Ledger(path: test.path)
        for id in ["c1", "c2"] {
            _ = try await other.submit(try test.envelope(try test.grantCommand(id)))
        }
        let watch = try await test.ledger.watchHead()
        #expect(watch.head == 2)
        _ = try await other.submit(try test.envelope(try test.grantCommand("c3")))
        #expect(watch.head == 2, "this ledger's writer has not run since")
        try await test.submit(try test.grantCommand("c4"))
        #expect(watch.head == 4)
    }

    // MARK: Tampering, as someone with the file but without the checkpoint key

    /// Changes the row at `fromSeq` and recomputes every hash from there on with `EventHasher`,
    /// then puts the trigger back exactly as it was and rebuilds the projections from the new log.
    func rewrite(_ ledger: Ledger, fromSeq: Int64, change: @escaping @Sendable (inout RecordedEvent) -> Void)
        async throws
    {
        try await ledger.database.write { db in
            let trigger = try #require(
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events_refuse_update'"))
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            var previous = try #require(
                try Data.fetchOne(db, sql: "SELECT hash FROM events WHERE seq = ?", arguments: [fromSeq - 1]))
            let rows = try Row.fetchAll(
                db, sql: "SELECT \(RecordedEvent.columns) FROM events WHERE seq >= ? ORDER BY seq", arguments: [fromSeq])
            for row in rows {
                var event = try RecordedEvent(row: row, previousHash: previous)
                if event.seq == fromSeq { change(&event) }
                event.prevHash = previous
                event.hash = EventHasher.hash(of: event)
                // `meta` as text too: stored compact, it may copy from the `data` stored beside it.
                try db.execute(
                    sql: "UPDATE events SET data = ?, meta = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                    arguments: [
                        String(decoding: event.data, as: UTF8.self), String(decoding: event.meta, as: UTF8.self),
                        event.prevHash, event.hash, event.seq,
                    ])
                previous = event.hash
            }
            try db.execute(sql: trigger)
        }
        _ = try await ledger.replay()
    }

    /// Deletes every event after `toSeq`, the trigger put back as it was, projections rebuilt.
    func cutBack(_ ledger: Ledger, toSeq: Int64) async throws {
        try await ledger.database.write { db in
            let trigger = try #require(
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events_refuse_delete'"))
            try db.execute(sql: "DROP TRIGGER events_refuse_delete")
            try db.execute(sql: "DELETE FROM events WHERE seq > ?", arguments: [toSeq])
            try db.execute(sql: trigger)
        }
        _ = try await ledger.replay()
    }

    static func flippingTheSignature(of jws: String) -> String {
        let parts = jws.split(separator: ".").map(String.init)
        var signature = Base64URL.decode(parts[2], strict: true)!
        signature[signature.startIndex] ^= 0x01
        return "\(parts[0]).\(parts[1]).\(Base64URL.encode(signature))"
    }
}

extension TestLedger {
    /// The same database under a new `Ledger` (and writer), as after a restart.
    func reopened() throws -> TestLedger {
        try TestLedger(reopening: self)
    }

    private init(reopening other: TestLedger) throws {
        directory = other.directory
        clock = other.clock
        ledger = try Ledger(path: other.path, options: .init(clock: other.clock.now))
    }
}
