import Benchmark
import Foundation
import LedgerCore
import LedgerStore

// Benchmarks of the ledger store (module LedgerStore): appending through the one writer with and
// without group commit, and rebuilding every projection from a large log. See ../../README.md.

/// Rates computed from the measured region's own wall clock, so they read directly as "per second".
enum BenchMetric {
    static let commandsPerSecond = BenchmarkMetric.custom(
        "commands/s", polarity: .prefersLarger, useScalingFactor: false)
    static let eventsPerSecond = BenchmarkMetric.custom(
        "events/s", polarity: .prefersLarger, useScalingFactor: false)
}

/// Commands appended per iteration of each append benchmark.
let appendCommands = 2_000
/// Concurrent submitters: what gives group commit something to batch.
let appendSubmitters = 256

/// Size of the replayed log; GRANTLEDGER_BENCH_REPLAY_EVENTS overrides it (for a quick try).
let replayEvents: Int =
    ProcessInfo.processInfo.environment["GRANTLEDGER_BENCH_REPLAY_EVENTS"].flatMap(Int.init)
    ?? 1_000_000
/// The replayed log is built once and kept here, so later runs reuse it.
let replayDirectory: String =
    ProcessInfo.processInfo.environment["GRANTLEDGER_BENCH_REPLAY_DIR"]
    ?? "/tmp/grantledger-bench-1m"
var replayLogPath: String { replayDirectory + "/ledger.sqlite" }

let benchmarks: @Sendable () -> Void = {
    appendBenchmark("Append: one command per commit", batchSizeMax: 1)
    appendBenchmark("Append: group commit", batchSizeMax: 256)

    Benchmark(
        "Replay with hash verification",
        configuration: .init(
            metrics: [.wallClock, BenchMetric.eventsPerSecond],
            tags: ["events": "\(replayEvents)"],
            units: [BenchMetric.eventsPerSecond: .count],
            warmupIterations: 0,
            maxDuration: .seconds(120),
            maxIterations: 3,
            setup: { try await ensureReplayLog() }
        )
    ) { benchmark in
        let ledger = try Ledger(path: replayLogPath, options: .init(synchronous: .full))
        let clock = ContinuousClock()
        benchmark.startMeasurement()
        let started = clock.now
        let report = try await ledger.replay(progress: nil)
        let elapsed = clock.now - started
        benchmark.stopMeasurement()
        await ledger.close()
        guard report.eventCount >= Int64(replayEvents) else {
            benchmark.error("replayed \(report.eventCount) events, expected at least \(replayEvents)")
            return
        }
        benchmark.measurement(BenchMetric.eventsPerSecond, perSecond(Int(report.eventCount), elapsed))
    }
}

/// `appendCommands` grants submitted by `appendSubmitters` concurrent tasks into a fresh database
/// (synchronous = FULL, so every commit is fsynced). Opening the database and building the
/// envelopes happen before `startMeasurement`.
func appendBenchmark(_ name: String, batchSizeMax: Int) {
    Benchmark(
        name,
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, BenchMetric.commandsPerSecond],
            tags: [
                "commands": "\(appendCommands)", "submitters": "\(appendSubmitters)", "batchSizeMax": "\(batchSizeMax)",
            ],
            units: [BenchMetric.commandsPerSecond: .count],
            warmupIterations: 1,
            maxDuration: .seconds(30),
            maxIterations: 5
        )
    ) { benchmark in
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = try Ledger(
            path: directory + "/ledger.sqlite",
            options: .init(synchronous: .full, writer: WriterConfiguration(batchSizeMax: batchSizeMax)))
        let envelopes = try makeGrantEnvelopes(appendCommands)
        let clock = ContinuousClock()

        benchmark.startMeasurement()
        let started = clock.now
        let accepted = try await submitConcurrently(ledger, envelopes, submitters: appendSubmitters)
        let elapsed = clock.now - started
        benchmark.stopMeasurement()

        await ledger.close()
        guard accepted == appendCommands else {
            benchmark.error("\(accepted) of \(appendCommands) commands were accepted")
            return
        }
        benchmark.measurement(BenchMetric.commandsPerSecond, perSecond(appendCommands, elapsed))
    }
}

// MARK: Helpers

func grantEnvelope(nowMs: Int64) throws -> CommandEnvelope {
    let grant = try GrantConnection(
        connectionId: Identifiers.make(now: Date()), userId: "u1", name: "bench", scopes: ["pay_invoice"],
        budget: nil, expiresAtSec: nil, nowMs: nowMs)
    return try CommandEnvelope(
        ConnectionCommandHandler(.grant(grant)),
        metadata: EventMetadata(
            actor: .init(id: "bench", role: "admin"), action: .create, source: .init(serviceId: "bench"),
            requestId: UUID().uuidString))
}

func makeGrantEnvelopes(_ count: Int) throws -> [CommandEnvelope] {
    let nowMs = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    return try (0..<count).map { _ in try grantEnvelope(nowMs: nowMs) }
}

/// Submits every envelope, `submitters` tasks at a time each taking every `submitters`-th one in
/// turn; returns how many were accepted.
func submitConcurrently(_ ledger: Ledger, _ envelopes: [CommandEnvelope], submitters: Int) async throws -> Int {
    try await withThrowingTaskGroup(of: Int.self) { group in
        for worker in 0..<min(submitters, envelopes.count) {
            group.addTask {
                var accepted = 0
                var index = worker
                while index < envelopes.count {
                    if case .accepted = try await ledger.submit(envelopes[index]) { accepted += 1 }
                    index += submitters
                }
                return accepted
            }
        }
        return try await group.reduce(0, +)
    }
}

func makeScratchDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "grantledger-bench-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func perSecond(_ count: Int, _ elapsed: Duration) -> Int {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Int((Double(count) / seconds).rounded())
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func log(_ message: String) {
    FileHandle.standardError.write(Data("[LedgerStoreBenchmarks] \(message)\n".utf8))
}

/// Makes sure `replayLogPath` holds a log of at least `replayEvents` events. A log left by an
/// earlier run is reused; otherwise one is built through the writer (group commit, 2,048
/// concurrent submitters, in waves of 50,000 commands) in a scratch folder and moved into place.
/// Not measured: it runs in the benchmark's setup.
func ensureReplayLog() async throws {
    let fileManager = FileManager.default
    if fileManager.fileExists(atPath: replayLogPath) {
        let ledger = try Ledger(path: replayLogPath)
        let count = try ledger.eventCount()
        await ledger.close()
        try ledger.closeDatabase()
        if count >= Int64(replayEvents) {
            log("reusing \(replayLogPath) (\(count) events)")
            return
        }
        log("\(replayLogPath) has \(count) events, fewer than \(replayEvents): rebuilding")
    }

    let building = replayDirectory + ".building"
    try? fileManager.removeItem(atPath: building)
    try fileManager.createDirectory(atPath: building, withIntermediateDirectories: true)
    let ledger = try Ledger(
        path: building + "/ledger.sqlite",
        options: .init(
            synchronous: .normal, writer: WriterConfiguration(batchSizeMax: 1_024, queueLengthMax: 100_000)))
    let clock = ContinuousClock()
    let started = clock.now
    var written = 0
    while written < replayEvents {
        let wave = try makeGrantEnvelopes(min(50_000, replayEvents - written))
        let accepted = try await submitConcurrently(ledger, wave, submitters: 2_048)
        guard accepted == wave.count else {
            throw BenchError("building the replay log: \(accepted) of \(wave.count) commands accepted")
        }
        written += accepted
        if written % 200_000 == 0 || written == replayEvents {
            log("replay log: \(written) / \(replayEvents) events (\(clock.now - started))")
        }
    }
    await ledger.close()
    let count = try ledger.eventCount()
    try ledger.closeDatabase()
    guard count >= Int64(replayEvents) else {
        throw BenchError("building the replay log: it holds \(count) events")
    }
    try? fileManager.removeItem(atPath: replayDirectory)
    try fileManager.moveItem(atPath: building, toPath: replayDirectory)
    log("built \(replayLogPath): \(count) events in \(clock.now - started)")
}
