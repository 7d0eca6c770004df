import ArgumentParser
import Configuration
import Foundation
import LedgerStore

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild every projection from the event log, or write the state as of a past point to a new file.",
        discussion: """
            Without --until, the live projections are dropped and rebuilt in one transaction (stop the server first).
            With --until SEQ or --until TIME (ISO 8601, e.g. 2026-11-21T08:00:00Z) and --out FILE, the log up to that
            point and the projections as of then are written to a new database; the live one is not touched.
            """)

    @OptionGroup var data: DataDirectoryOptions

    @Option(name: .customLong(Setting.replayUntil.longName), help: .init(Setting.replayUntil.help))
    var untilFlag: String?

    @Option(name: .customLong(Setting.replayOut.longName), help: .init(Setting.replayOut.help))
    var outFlag: String?

    private var sources: SettingSources {
        var flags: [String: ConfigContent] = [:]
        if let untilFlag { flags[Setting.replayUntil.key] = .string(untilFlag) }
        if let outFlag { flags[Setting.replayOut.key] = .string(outFlag) }
        return SettingSources(flags: flags)
    }
    var until: String? { try? sources.string(.replayUntil)?.value }
    var out: String? { try? sources.string(.replayOut)?.value }

    func run() async throws {
        try data.requireExistingDatabase()
        try data.requireWritableDirectory()
        let ledger = try Ledger(path: data.databasePath)
        let progress = Progress(label: "replayed", total: try ledger.eventCount())
        let started = Date()
        let report: ReplayReport
        if let until {
            guard let out else {
                throw ValidationError("--until needs --out FILE: the state as of then goes to a new file")
            }
            report = try ledger.replay(until: try Self.bound(until), into: out, progress: progress.report)
            progress.finish()
            print("wrote the state as of \(until) (\(report.eventCount) events) to \(out)")
        } else {
            guard out == nil else { throw ValidationError("--out goes with --until") }
            report = try await ledger.replay(progress: progress.report)
            progress.finish()
            print("rebuilt the projections from \(report.eventCount) events")
        }
        let seconds = Date().timeIntervalSince(started)
        print(String(format: "%.2f s, %.0f events/s", seconds, Double(report.eventCount) / max(seconds, 0.001)))
        for (name, checksum) in report.checksums.sorted(by: { $0.key < $1.key }) { print("  \(name) \(checksum)") }
    }

    static func bound(_ text: String) throws -> ReplayBound {
        if let seq = Int64(text) {
            guard seq >= 0 else { throw ValidationError("--until seq must not be negative") }
            return .seq(seq)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return .time(date) }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return .time(date) }
        throw ValidationError("--until must be a seq number or an ISO 8601 time like 2026-11-21T08:00:00Z")
    }
}
