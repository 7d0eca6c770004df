import ArgumentParser
import Foundation
import LedgerStore

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the hash chain and that the projections equal a fresh replay. Exits 0 only when both hold.")

    @OptionGroup var data: DataDirectoryOptions

    func run() async throws {
        try data.requireExistingDatabase()
        let ledger = try Ledger(path: data.databasePath)
        let progress = Progress(label: "verified", total: try ledger.eventCount())
        let report = try ledger.verify(progress: progress.report)
        progress.finish()
        if let chainBreak = report.chainBreak {
            print("FAILED: hash chain broken at seq \(chainBreak.seq): \(chainBreak.reason)")
            throw ExitCode(1)
        }
        if !report.projectionMismatches.isEmpty {
            print(
                "FAILED: projections differ from a fresh replay: \(report.projectionMismatches.joined(separator: ", "))"
            )
            print("run `grantledger replay --data-dir \(data.directory)` with the server stopped to rebuild them")
            throw ExitCode(1)
        }
        print("OK: \(report.eventCount) events, hash chain intact, projections equal a fresh replay")
        for (name, checksum) in report.checksums.sorted(by: { $0.key < $1.key }) {
            print("  \(name) \(checksum)")
        }
    }
}
