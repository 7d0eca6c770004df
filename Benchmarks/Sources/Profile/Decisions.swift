import Foundation
import LedgerCore
import LedgerStore

// `Profile [count=20000] decisions`: reserve + settle decision latency in-process, through
// `Ledger.submit` with group commit (synchronous = FULL), first on an empty ledger, then on a copy
// of a ledger that already holds a large log (DESIGN §10: decision latency must not grow with the
// size of the log). Both ledgers get the same workload in the same run:
//
//   1. grant CONNECTIONS connections with a budget (1,000,000,000 sat a month);
//   2. warm-up: 1,000 reserves and their settles, not measured;
//   3. decide-only: `count` reserve decisions (`SpendCommandHandler.decide`, the look-ups plus the
//      pure decider) timed one by one in a read transaction: no append, no commit;
//   4. `count` reserves submitted by SUBMITTERS concurrent tasks, each submit timed;
//   5. decide-only again for the `count` settles, then the settles submitted the same way.
//
// env SUBMITTERS (256), BATCH (256), CONNECTIONS (8),
//     BIG_LOG (/tmp/grantledger-bench-1m/ledger.sqlite): the large ledger, copied before it is
//       opened (opening an older schema migrates it: that is timed separately). If it is missing,
//       one of BIG_EVENTS (1,000,000) grants is built there first.
//     DECISIONS_DIR (/tmp/gl-decisions): where the empty ledger and the copy live (removed first).

struct LatencySummary {
    var count: Int
    var seconds: Double
    var p50: Double
    var p99: Double
    var max: Double

    /// `micros`: one latency per command, in µs.
    init(_ micros: [Double], seconds: Double) {
        let sorted = micros.sorted()
        func at(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[Int((Double(sorted.count - 1) * q).rounded())] }
        count = sorted.count
        self.seconds = seconds
        p50 = at(0.50)
        p99 = at(0.99)
        max = sorted.last ?? 0
    }

    var rate: Double { Double(count) / seconds }

    func line(_ label: String, unit: String = "commands/s") -> String {
        String(
            format: "  %@ %8d in %7.3f s = %10.0f %@, p50 %9.1f µs, p99 %9.1f µs, max %9.1f µs",
            padded(label) as NSString, count, seconds, rate, unit as NSString, p50, p99, max)
    }
}

struct DecisionRun {
    var label: String
    var eventsBefore: Int64
    var reserveDecide: LatencySummary
    var reserve: LatencySummary
    var settleDecide: LatencySummary
    var settle: LatencySummary
}

func padded(_ text: String) -> String { text.padding(toLength: 26, withPad: " ", startingAt: 0) }

func secondsSince(_ start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func micros(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
}

func benchMetadata(_ action: EventMetadata.Action) -> EventMetadata {
    EventMetadata(
        actor: .init(id: "bench", role: "admin"), action: action, source: .init(serviceId: "bench"),
        requestId: UUID().uuidString)
}

func decisionLedger(path: String, batch: Int) throws -> Ledger {
    try Ledger(
        path: path,
        options: .init(
            synchronous: .full,
            writer: .init(batchSizeMax: batch, batchWaitUs: 0, queueLengthMax: 100_000)))
}

/// Submits every envelope from `submitters` tasks (task i takes i, i + submitters, ...), timing
/// each submit; fails unless every command is accepted.
func submitTimed(_ ledger: Ledger, _ envelopes: [CommandEnvelope], submitters: Int) async throws -> LatencySummary {
    let started = ContinuousClock.now
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for first in 0..<min(submitters, envelopes.count) {
            group.addTask {
                var mine: [Double] = []
                mine.reserveCapacity(envelopes.count / submitters + 1)
                var index = first
                while index < envelopes.count {
                    let t0 = ContinuousClock.now
                    let outcome = try await ledger.submit(envelopes[index])
                    mine.append(micros(ContinuousClock.now - t0))
                    guard case .accepted = outcome else {
                        throw DecisionError("command \(index) (\(envelopes[index].command.name)) was not accepted: \(outcome)")
                    }
                    index += submitters
                }
                return mine
            }
        }
        var all: [Double] = []
        for try await part in group { all.append(contentsOf: part) }
        return all
    }
    return LatencySummary(latencies, seconds: secondsSince(started))
}

/// Times `decide` alone for each command, in one read transaction: index look-ups plus the pure
/// decider, without appending, projecting or committing.
func decideTimed(_ ledger: Ledger, _ handlers: [SpendCommandHandler]) throws -> LatencySummary {
    let nowMs = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    let started = ContinuousClock.now
    let latencies = try ledger.readOnCallersThread { db in
        var latencies: [Double] = []
        latencies.reserveCapacity(handlers.count)
        for handler in handlers {
            let t0 = ContinuousClock.now
            let result = try handler.decide(db, nowMs: nowMs)
            latencies.append(micros(ContinuousClock.now - t0))
            if case .failure(let rejection) = result {
                throw DecisionError("decide \(handler.name) rejected: \(rejection)")
            }
        }
        return latencies
    }
    return LatencySummary(latencies, seconds: secondsSince(started))
}

struct DecisionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func grantBudgetedConnections(_ ledger: Ledger, count: Int, tag: String) async throws -> [String] {
    let nowMs = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    var ids: [String] = []
    for n in 0..<count {
        let id = Identifiers.make(now: Date())
        let envelope = try CommandEnvelope(
            ConnectionCommandHandler(
                .grant(
                    try GrantConnection(
                        connectionId: id, userId: "decisions-\(tag)-\(n)", name: "Decisions \(n)",
                        scopes: ["pay_invoice"], budget: BudgetDefinition(amount: 1_000_000_000, period: .monthly),
                        expiresAtSec: nil, nowMs: nowMs))),
            metadata: benchMetadata(.create))
        guard case .accepted = try await ledger.submit(envelope) else { throw DecisionError("grant refused") }
        ids.append(id)
    }
    return ids
}

func reserveHandlers(_ count: Int, connections: [String]) throws -> [SpendCommandHandler] {
    try (0..<count).map { i in
        SpendCommandHandler(
            .reserve(
                try ReserveSpend(
                    spendId: Identifiers.make(now: Date()), connectionId: connections[i % connections.count],
                    method: "pay_invoice", amountMsat: 1000, holdTimeoutMs: 120_000)))
    }
}

func settleHandlers(for reserves: [SpendCommandHandler]) throws -> [SpendCommandHandler] {
    try reserves.map { SpendCommandHandler(.settle(try SettleSpend(spendId: $0.command.spendId, amountMsat: 1000))) }
}

func envelopes(_ handlers: [SpendCommandHandler], _ action: EventMetadata.Action) throws -> [CommandEnvelope] {
    try handlers.map { try CommandEnvelope($0, metadata: benchMetadata(action)) }
}

func runDecisionWorkload(_ ledger: Ledger, label: String, count: Int, submitters: Int, connectionCount: Int)
    async throws -> DecisionRun
{
    let connections = try await grantBudgetedConnections(ledger, count: connectionCount, tag: label)
    // Warm-up: page cache, statement cache, the writer's first batches.
    let warmReserves = try reserveHandlers(1_000, connections: connections)
    _ = try await submitTimed(ledger, try envelopes(warmReserves, .create), submitters: submitters)
    _ = try await submitTimed(ledger, try envelopes(try settleHandlers(for: warmReserves), .update), submitters: submitters)

    let eventsBefore = try ledger.eventCount()
    let reserves = try reserveHandlers(count, connections: connections)
    let settles = try settleHandlers(for: reserves)
    let reserveEnvelopes = try envelopes(reserves, .create)
    let settleEnvelopes = try envelopes(settles, .update)

    let reserveDecide = try decideTimed(ledger, reserves)
    let reserve = try await submitTimed(ledger, reserveEnvelopes, submitters: submitters)
    let settleDecide = try decideTimed(ledger, settles)
    let settle = try await submitTimed(ledger, settleEnvelopes, submitters: submitters)
    let run = DecisionRun(
        label: label, eventsBefore: eventsBefore, reserveDecide: reserveDecide, reserve: reserve,
        settleDecide: settleDecide, settle: settle)
    printRun(run)
    return run
}

func printRun(_ run: DecisionRun) {
    print("== \(run.label): \(run.eventsBefore) events in the log before the measured commands")
    print(run.reserveDecide.line("reserve decide only", unit: "decisions/s"))
    print(run.reserve.line("reserve submit (durable)"))
    print(run.settleDecide.line("settle decide only", unit: "decisions/s"))
    print(run.settle.line("settle submit (durable)"))
    let both = Double(run.reserve.count + run.settle.count) / (run.reserve.seconds + run.settle.seconds)
    print(String(format: "  reserve + settle submits:  %10.0f commands/s, %10.0f authorizations/s", both, both / 2))
}

/// A log of `events` grants, built through the writer with group commit (synchronous = NORMAL,
/// 2,048 concurrent submitters), as the replay benchmark builds its own.
func buildBigLog(path: String, events: Int) async throws {
    let directory = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let ledger = try Ledger(
        path: path,
        options: .init(synchronous: .normal, writer: .init(batchSizeMax: 1_024, queueLengthMax: 100_000)))
    let nowMs = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    var written = 0
    while written < events {
        let wave = try (0..<min(50_000, events - written)).map { _ in
            try CommandEnvelope(
                ConnectionCommandHandler(
                    .grant(
                        try GrantConnection(
                            connectionId: Identifiers.make(now: Date()), userId: "u1", name: "bench",
                            scopes: ["pay_invoice"], budget: nil, expiresAtSec: nil, nowMs: nowMs))),
                metadata: benchMetadata(.create))
        }
        _ = try await submitTimed(ledger, wave, submitters: 2_048)
        written += wave.count
        print("  built \(written) / \(events) events")
    }
    await ledger.close()
    try ledger.closeDatabase()
}

func runDecisions(count: Int) async throws {
    let environment = ProcessInfo.processInfo.environment
    let submitters = Int(environment["SUBMITTERS"] ?? "256") ?? 256
    let batch = Int(environment["BATCH"] ?? "256") ?? 256
    let connectionCount = Int(environment["CONNECTIONS"] ?? "8") ?? 8
    let bigLog = environment["BIG_LOG"] ?? "/tmp/grantledger-bench-1m/ledger.sqlite"
    let bigEvents = Int(environment["BIG_EVENTS"] ?? "1000000") ?? 1_000_000
    let directory = environment["DECISIONS_DIR"] ?? "/tmp/gl-decisions"
    let fileManager = FileManager.default
    print(
        "decisions: \(count) reserves + \(count) settles per ledger, \(submitters) submitters, batchSizeMax \(batch), "
            + "\(connectionCount) connections, synchronous = FULL")

    try? fileManager.removeItem(atPath: directory)
    try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)

    // Empty ledger.
    let empty = try decisionLedger(path: directory + "/empty.sqlite", batch: batch)
    let emptyRun = try await runDecisionWorkload(
        empty, label: "empty ledger", count: count, submitters: submitters, connectionCount: connectionCount)
    await empty.close()
    try empty.closeDatabase()

    // Large ledger: a copy, so the original stays as it is (opening may migrate it).
    if !fileManager.fileExists(atPath: bigLog) {
        print("\(bigLog) is missing: building \(bigEvents) events")
        let started = ContinuousClock.now
        try await buildBigLog(path: bigLog, events: bigEvents)
        print(String(format: "built in %.1f s", secondsSince(started)))
    }
    let copy = directory + "/big.sqlite"
    var started = ContinuousClock.now
    for suffix in ["", "-wal"] where fileManager.fileExists(atPath: bigLog + suffix) {
        try fileManager.copyItem(atPath: bigLog + suffix, toPath: copy + suffix)
    }
    print(String(format: "copied %@ in %.1f s", bigLog, secondsSince(started)))
    started = ContinuousClock.now
    let big = try decisionLedger(path: copy, batch: batch)
    let openSeconds = secondsSince(started)
    let bigEventsNow = try big.eventCount()
    print(
        String(
            format: "opened the copy (migrations, if any, included) in %.1f s: %lld events", openSeconds, bigEventsNow))
    let bigRun = try await runDecisionWorkload(
        big, label: "large ledger", count: count, submitters: submitters, connectionCount: connectionCount)
    await big.close()
    try big.closeDatabase()

    print("== large ÷ empty (1.00 = no growth with the log)")
    func ratio(_ name: String, _ a: LatencySummary, _ b: LatencySummary) {
        print(
            String(
                format: "  %@ rate %.2f, p50 %.2f, p99 %.2f", padded(name) as NSString, b.rate / a.rate, b.p50 / a.p50,
                b.p99 / a.p99))
    }
    ratio("reserve decide only", emptyRun.reserveDecide, bigRun.reserveDecide)
    ratio("reserve submit (durable)", emptyRun.reserve, bigRun.reserve)
    ratio("settle decide only", emptyRun.settleDecide, bigRun.settleDecide)
    ratio("settle submit (durable)", emptyRun.settle, bigRun.settle)
    print("  (the log: \(emptyRun.eventsBefore) events vs \(bigRun.eventsBefore) events before the measured commands)")
}
