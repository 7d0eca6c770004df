import Foundation
import GRDB
import LedgerCore
import LedgerStore
import LedgerTestSupport
import Synchronization
import Testing

/// A command that fails in its decision: after writing to a projection table (its savepoint, or
/// its batch run again, must take the write back), before writing anything (nothing to undo), or
/// after the batch's transaction is gone, as SQLite leaves it after a full disk or an I/O error
/// (it rolls the whole transaction back).
struct FailingCommand: LedgerCommand {
    struct Boom: Error {}
    enum When { case afterWriting, beforeWriting, afterLosingTheTransaction }
    var when = When.afterWriting
    var name: String { "Fail" }
    var stream: String { "test/failing" }
    func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        switch when {
        case .afterWriting:
            try db.execute(
                sql: "INSERT INTO admin_credentials (id, token_sha256, set_at_ms) VALUES (1, 'half-written', 0)")
        case .beforeWriting: _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM admin_credentials")
        case .afterLosingTheTransaction: try db.execute(sql: "ROLLBACK")
        }
        throw Boom()
    }
}

/// Counts how often its commands were decided, across batches run again.
final class DecisionCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// A command that counts its decisions.
struct Counted: LedgerCommand {
    let command: any LedgerCommand
    let decisions: DecisionCount
    var name: String { command.name }
    var stream: String { command.stream }
    func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        decisions.add()
        return try command.decide(db, nowMs: nowMs)
    }
}

@Suite struct GroupCommitTests {
    /// One batch of `count` commands (the writer lingers until it is full), the one at `failing`
    /// the given one: what each ended as.
    static func oneBatch(
        _ test: TestLedger, count: Int, failing: Int, _ failingCommand: Counted, decisions: DecisionCount,
        prefix: String
    ) async throws -> [Int: Result<CommandOutcome, any Error>] {
        try await withThrowingTaskGroup(of: (Int, Result<CommandOutcome, any Error>).self) { group in
            for index in 0..<count {
                let command: any LedgerCommand =
                    index == failing
                    ? failingCommand
                    : Counted(
                        command: ConnectionCommandHandler(try test.grantCommand("\(prefix)\(index)")),
                        decisions: decisions)
                let envelope = try CommandEnvelope(command, metadata: TestLedger.metadata)
                group.addTask {
                    do { return (index, .success(try await test.ledger.submit(envelope))) } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results: [Int: Result<CommandOutcome, any Error>] = [:]
            for try await (index, result) in group { results[index] = result }
            return results
        }
    }

    /// Commands run without a savepoint each: one that fails before writing fails alone and the
    /// batch runs once; one that fails after writing makes the batch run again, each command in a
    /// savepoint, and only its rows are undone; the batches after that one use savepoints from
    /// the start (each command decided once, though one fails after writing). The failing
    /// command counts its decisions: twice when its batch ran again, whatever the batch's order.
    @Test func aBatchRunsAgainOnlyWhenACommandFailedAfterWriting() async throws {
        let count = 6
        let test = try TestLedger(
            writer: .init(batchSizeMax: count, batchWaitUs: 10_000_000), clock: TestClock(ticking: true))
        let steps: [(any LedgerCommand, runs: Int)] = [
            (FailingCommand(when: .beforeWriting), 1), (FailingCommand(), 2), (FailingCommand(), 1),
        ]
        var committed = 0
        let watch = try await test.ledger.watchHead()
        for (step, (failingCommand, runs)) in steps.enumerated() {
            let decisions = DecisionCount()
            let failingDecisions = DecisionCount()
            let results = try await Self.oneBatch(
                test, count: count, failing: 2, Counted(command: failingCommand, decisions: failingDecisions),
                decisions: decisions, prefix: "s\(step)-")
            for index in 0..<count {
                switch (index == 2, results[index]!) {
                case (true, .failure(let error)):
                    #expect(error is FailingCommand.Boom, "\(error)")
                case (false, .success(.accepted(let events, false))): #expect(events.count == 1)
                default: Issue.record("step \(step): command \(index) ended as \(results[index]!)")
                }
            }
            #expect(failingDecisions.value == runs, "step \(step)")
            // Those before the failing one in the batch are decided in both runs.
            #expect(runs == 1 ? decisions.value == count - 1 : decisions.value >= count - 1, "step \(step)")
            committed += count - 1
            let reader = try DatabaseQueue(path: test.path)
            let (events, credentials) = try await reader.read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events"),
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM admin_credentials")
                )
            }
            #expect(events == committed)
            #expect(credentials == 0, "the failing command's row is undone")
            #expect(watch.head == Int64(committed), "the head a batch run again leaves, step \(step)")
            try reader.close()
        }
        #expect(try test.ledger.verify().isIntact)
    }

    @Test func concurrentCommandsShareOneBatchAndOneFailureStaysAlone() async throws {
        // A ticking clock is read once per batch, so equal recorded_at values mean one batch. The
        // writer lingers until the batch is full (or 10 s pass), so all 40 land in one.
        let count = 40
        let test = try TestLedger(
            writer: .init(batchSizeMax: count, batchWaitUs: 10_000_000), clock: TestClock(ticking: true))
        let results = try await withThrowingTaskGroup(of: (Int, Result<CommandOutcome, any Error>).self) { group in
            for index in 0..<count {
                let envelope =
                    index == count / 2
                    ? try CommandEnvelope(FailingCommand(), metadata: TestLedger.metadata)
                    : try test.envelope(try test.grantCommand("c\(index)"))
                group.addTask {
                    do { return (index, .success(try await test.ledger.submit(envelope))) } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results: [Int: Result<CommandOutcome, any Error>] = [:]
            for try await (index, result) in group { results[index] = result }
            return results
        }
        for index in 0..<count {
            switch (index == count / 2, results[index]!) {
            case (true, .failure(let error)): #expect(error is FailingCommand.Boom)
            case (false, .success(.accepted(let events, false))): #expect(events.count == 1)
            default: Issue.record("command \(index) ended as \(results[index]!)")
            }
        }
        // Read through a separate connection: everything answered is committed.
        let reader = try DatabaseQueue(path: test.path)
        let rows = try reader.read { db in try Row.fetchAll(db, sql: "SELECT DISTINCT recorded_at FROM events") }
        #expect(rows.count == 1)
        #expect(try await reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") } == count - 1)
        #expect(
            try await reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM admin_credentials") } == 0)
        #expect(
            try await reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM connections") } == count - 1)
        #expect(try test.ledger.verify().isIntact)
    }

    /// The first command lingers up to 1 s for company, so the queue is full when the rest arrive.
    @Test func aFullQueueRefusesInsteadOfGrowing() async throws {
        let test = try TestLedger(writer: .init(batchSizeMax: 4, batchWaitUs: 1_000_000, queueLengthMax: 2))
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                let envelope = try! test.envelope(try! test.grantCommand("q\(index)"))
                group.addTask {
                    do {
                        _ = try await test.ledger.submit(envelope)
                        return true
                    } catch let error as LedgerError {
                        return error.code != .overloaded
                    } catch { return false }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.contains(false))
        #expect(outcomes.contains(true))
    }

    /// The writer hands a batch that takes the whole queue the queue's own buffer and keeps the
    /// emptied buffer of the batch before for the next queue; a batch of part of the queue is cut
    /// off its front. Through rounds of both (batches of at most 8, rounds of 3 to 28 commands
    /// in flight), every caller hears of its own command, once.
    @Test func everyQueuedCommandIsAnsweredWithItsOwnOutcomeWhateverTheBatches() async throws {
        let test = try TestLedger(writer: .init(batchSizeMax: 8, batchWaitUs: 500))
        var submitted = 0
        for round in 0..<6 {
            let count = 3 + round * 5
            let ids = (0..<count).map { "r\(round)-c\($0)" }
            let envelopes = try ids.map { try test.envelope(try test.grantCommand($0)) }
            let streams = await withTaskGroup(of: (String, String?).self) { group in
                for (id, envelope) in zip(ids, envelopes) {
                    group.addTask {
                        guard case .accepted(let events, false)? = try? await test.ledger.submit(envelope) else {
                            return (id, nil)
                        }
                        return (id, events.first?.stream)
                    }
                }
                return await group.reduce(into: [String: String?]()) { $0[$1.0] = $1.1 }
            }
            #expect(streams.count == count)
            for id in ids { #expect(streams[id] == "connection/\(id)", "round \(round)") }
            submitted += count
        }
        #expect(try test.ledger.eventCount() == Int64(submitted))
    }

    @Test func closeFinishesQueuedCommandsThenRefusesNewOnes() async throws {
        let test = try TestLedger(writer: .init(batchSizeMax: 4, batchWaitUs: 20_000))
        let pending = (0..<10).map { index in try! test.envelope(try! test.grantCommand("s\(index)")) }
        let tasks = pending.map { envelope in Task { try await test.ledger.submit(envelope) } }
        try await Task.sleep(for: .milliseconds(5))
        await test.ledger.close()
        // Counted as close returns, before awaiting the callers: had close returned with commands
        // still queued, they would commit later and this count would fall short.
        let committedAtClose = try test.ledger.eventCount()
        var accepted = 0
        for task in tasks {
            switch await task.result {
            case .success(.accepted): accepted += 1
            case .failure(let error as LedgerError) where error.code == .shuttingDown: break
            case let other: Issue.record("a command ended as \(other)")
            }
        }
        #expect(committedAtClose == Int64(accepted))
        await #expect(throws: LedgerError.shuttingDown) {
            try await test.submit(try test.grantCommand("late"))
        }
    }

    /// When SQLite has rolled the batch's transaction back itself, the batch fails as a whole, as
    /// it did with a savepoint per command: it is not run again into the same fault, and nothing
    /// of it is written.
    @Test func aBatchWhoseTransactionIsLostFailsWholeAndRunsOnce() async throws {
        let count = 4
        let test = try TestLedger(
            writer: .init(batchSizeMax: count, batchWaitUs: 10_000_000), clock: TestClock(ticking: true))
        let decisions = DecisionCount()
        let failingDecisions = DecisionCount()
        let results = try await Self.oneBatch(
            test, count: count, failing: 1,
            Counted(command: FailingCommand(when: .afterLosingTheTransaction), decisions: failingDecisions),
            decisions: decisions, prefix: "lost-")
        #expect(failingDecisions.value == 1)
        for index in 0..<count {
            guard case .failure(let error as LedgerError) = results[index]!, error.code == .storage else {
                Issue.record("command \(index) ended as \(results[index]!)")
                continue
            }
        }
        #expect(try test.ledger.eventCount() == 0)
        // The writer goes on: the next batch (a full one, so it does not linger) commits.
        let after = try await Self.oneBatch(
            test, count: count, failing: count, Counted(command: FailingCommand(), decisions: DecisionCount()),
            decisions: DecisionCount(), prefix: "after-")
        #expect(after.values.allSatisfy { if case .success(.accepted) = $0 { true } else { false } })
        #expect(try test.ledger.eventCount() == Int64(count))
    }

    /// Submissions join the queue under a lock and schedule a drain only when none runs. In
    /// rounds of four concurrent commands (batches of at most three, never lingering), each
    /// round's last submissions race the drain's last look at an empty queue, and the next round
    /// starts only once every command of this one is answered: a wake-up lost at a round's end
    /// stalls the test for good. So it counts answers rather than await callers that may never
    /// return, and fails when none came for a minute: not a bound on speed (the whole suite runs
    /// in parallel on two cores, and its busiest tests hold the cooperative pool for seconds), a
    /// bound on a stall.
    @Test func submissionsRacingTheEndOfADrainAreAllAnswered() async throws {
        let test = try TestLedger(writer: .init(batchSizeMax: 3, batchWaitUs: 0))
        let rounds = 150
        let perRound = 4
        let accepted = DecisionCount()
        let envelopes = try (0..<rounds).map { round in
            try (0..<perRound).map { try test.envelope(try test.grantCommand("race-\(round)-\($0)")) }
        }
        let submitters = Task {
            for round in envelopes {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for envelope in round {
                        group.addTask {
                            if case .accepted(_, false) = try await test.ledger.submit(envelope) { accepted.add() }
                        }
                    }
                    try await group.waitForAll()
                }
            }
        }
        let clock = ContinuousClock()
        var lastAnswered = (count: 0, at: clock.now)
        while accepted.value < rounds * perRound, clock.now - lastAnswered.at < .seconds(60) {
            try await Task.sleep(for: .milliseconds(20))
            let count = accepted.value
            if count > lastAnswered.count { lastAnswered = (count, clock.now) }
        }
        try #require(accepted.value == rounds * perRound, "commands left unanswered: a lost wake-up")
        try await submitters.value
        #expect(try test.ledger.eventCount() == Int64(rounds * perRound))
        #expect(try test.ledger.verify().isIntact)
    }

    /// A linger ends as soon as its batch is full, and `close` ends one too (what is queued
    /// commits now); a linger after one that ended so still waits for company: nothing left
    /// over from the first ends it early. Lingers here are ten minutes and the bounds five: a
    /// linger not ended would break them by minutes, and the suite's busiest moments (which held
    /// this test's tasks back for up to a minute in a local run) would not.
    @Test func aLingerEndsWhenItsBatchFillsOrTheLedgerClosesAndOnlyThen() async throws {
        let test = try TestLedger(writer: .init(batchSizeMax: 2, batchWaitUs: 600_000_000))
        let clock = ContinuousClock()
        /// Submits `envelope` in a task of its own and returns once it waits in the queue (the
        /// drain lingering for company), or after the bound.
        func queueAlone(_ envelope: CommandEnvelope) async throws -> Task<CommandOutcome, any Error> {
            let started = clock.now
            let waiting = Task { try await test.ledger.submit(envelope) }
            while test.ledger.writer.queueLength == 0, clock.now - started < .seconds(300) {
                try await Task.sleep(for: .milliseconds(10))
            }
            // Time for the drain to take its turn and begin to linger.
            try await Task.sleep(for: .milliseconds(100))
            return waiting
        }

        let started = clock.now
        let first = try await queueAlone(try test.envelope(try test.grantCommand("full-0")))
        #expect(test.ledger.writer.queueLength == 1)
        #expect(try test.ledger.eventCount() == 0)
        // The second command fills the batch: both commit now, not after the linger.
        _ = try await test.ledger.submit(try test.envelope(try test.grantCommand("full-1")))
        _ = try await first.value
        #expect(clock.now - started < .seconds(300))
        #expect(try test.ledger.eventCount() == 2)

        let closing = clock.now
        let alone = try await queueAlone(try test.envelope(try test.grantCommand("alone")))
        // Nothing left over from the first linger ended this one.
        #expect(test.ledger.writer.queueLength == 1)
        #expect(try test.ledger.eventCount() == 2)
        await test.ledger.close()
        guard case .accepted = try await alone.value else {
            Issue.record("the lone command was not accepted")
            return
        }
        #expect(clock.now - closing < .seconds(300))
        #expect(try test.ledger.eventCount() == 3)
    }
}
