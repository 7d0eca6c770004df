import Foundation
import LedgerCore
import LedgerStore

// A plain executable for profilers (`perf record`, `valgrind --tool=callgrind`), which cannot
// attach to the benchmark plugin's runs: appends N grants through the writer, then replays them.
//
//   Profile [count=20000] [append-and-replay|replay|decisions|codec]
//   env SUBMITTERS (256), BATCH (256), WAIT (batch linger in µs, 0), APPEND_ONLY (set: skip replay),
//       KEEP (set: append to the log already in /tmp/gl-prof instead of a new one)
// `replay` reuses the log the last append-and-replay left in /tmp/gl-prof.
// `decisions` measures reserve + settle decision latency on an empty ledger and on a large one
// (see Decisions.swift for what it does and its own knobs). `codec` times the canonical JSON
// encoder against Foundation's (Codec.swift).

let environment = ProcessInfo.processInfo.environment
let count = Int(CommandLine.arguments.dropFirst().first ?? "20000") ?? 20_000
let mode = CommandLine.arguments.dropFirst(2).first ?? "append-and-replay"
let submitters = Int(environment["SUBMITTERS"] ?? "256") ?? 256
let directory = "/tmp/gl-prof"

if mode == "codec" {
    try runCodec(count: Int(CommandLine.arguments.dropFirst().first ?? "200000") ?? 200_000)
    exit(0)
}

if mode == "decisions" {
    try await runDecisions(count: count)
    exit(0)
}

if mode == "replay" {
    let ledger = try Ledger(path: directory + "/ledger.sqlite")
    let started = Date()
    let report = try await ledger.replay()
    print(
        "replay: \(report.eventCount) events, \(Int(Double(report.eventCount) / Date().timeIntervalSince(started))) events/s"
    )
    exit(0)
}

if environment["KEEP"] == nil { try? FileManager.default.removeItem(atPath: directory) }
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
let ledger = try Ledger(
    path: directory + "/ledger.sqlite",
    options: .init(
        synchronous: .full,
        writer: .init(
            batchSizeMax: Int(environment["BATCH"] ?? "256") ?? 256,
            batchWaitUs: Int(environment["WAIT"] ?? "0") ?? 0,
            queueLengthMax: 100_000)))
let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
let envelopes = try (0..<count).map { _ in
    try CommandEnvelope(
        ConnectionCommandHandler(
            .grant(
                try GrantConnection(
                    connectionId: Identifiers.make(now: Date()), userId: "u1", name: "bench", scopes: ["pay_invoice"],
                    budget: nil, expiresAtSec: nil, nowMs: nowMs))),
        metadata: EventMetadata(
            actor: .init(id: "bench", role: "admin"), action: .create, source: .init(serviceId: "bench"),
            requestId: UUID().uuidString))
}
var started = Date()
try await withThrowingTaskGroup(of: Void.self) { group in
    for first in 0..<submitters {
        group.addTask {
            var index = first
            while index < envelopes.count {
                _ = try await ledger.submit(envelopes[index])
                index += submitters
            }
        }
    }
    try await group.waitForAll()
}
print(
    "append: \(count) commands onto \(try ledger.eventCount() - Int64(count)) events, \(Int(Double(count) / Date().timeIntervalSince(started))) commands/s"
)
if environment["APPEND_ONLY"] != nil { exit(0) }
started = Date()
let report = try await ledger.replay()
print(
    "replay: \(report.eventCount) events, \(Int(Double(report.eventCount) / Date().timeIntervalSince(started))) events/s"
)
