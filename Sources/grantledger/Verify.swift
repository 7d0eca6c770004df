import ArgumentParser
import Foundation
import LedgerStore

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Check the hash chain, the append-only triggers, every stored checkpoint (and --checkpoint's), and that the projections equal a fresh replay. Exits 0 only when all hold.",
        discussion:
            "A checkpoint is an ES256 JWS over the chain head, signed with DATA_DIR/keys/checkpoint-es256-*.pem and stored in the ledger; its key's public half is an event in the log. Keep copies elsewhere (GET /audit/checkpoints/latest): a log rewritten or cut back below a copy no longer matches it."
    )

    @OptionGroup var ledgerFile: LedgerFileOptions

    @Option(
        name: .customLong("checkpoint"),
        help: .init(
            "A checkpoint kept elsewhere, as JSON {\"ledger_id\",\"seq\",\"hash\",\"recorded_at\",\"jws\"}: the log must still hold that seq with that hash, and the JWS must verify with a checkpoint key the log records.",
            valueName: "file"))
    var checkpointFile: String?

    @Flag(
        name: .customLong("chain-only"),
        help:
            "Check the hash chain, triggers and checkpoints only, without replaying the projections to compare them: about the speed of reading the log.")
    var chainOnly = false

    func run() async throws {
        try ledgerFile.requireExistingDatabase()
        let external = try checkpointFile.map(Self.readCheckpoint)
        let ledger = try Ledger(path: ledgerFile.databasePath)
        let progress = Progress(label: "verified", total: try ledger.eventCount())
        let report = try ledger.verify(checkpoint: external, chainOnly: chainOnly, progress: progress.report)
        progress.finish()
        var failed = false
        if let chainBreak = report.chainBreak {
            print("FAILED: hash chain broken at seq \(chainBreak.seq): \(chainBreak.reason)")
            failed = true
        }
        for problem in report.triggerProblems {
            print("FAILED: \(problem)")
            failed = true
        }
        if let failure = report.firstCheckpointFailure {
            let count =
                report.checkpointFailures == 1
                ? "the only one of \(report.checkpointsChecked) stored checkpoints that fails"
                : "the first of \(report.checkpointFailures) of \(report.checkpointsChecked) stored checkpoints that fail"
            print("FAILED: stored checkpoint at seq \(failure.seq) does not match the log: \(failure.reason) (\(count))")
            failed = true
        }
        if let checkpointFile, let external, let failure = report.externalCheckpointFailure {
            print(
                "FAILED: the checkpoint in \(checkpointFile) (seq \(external.seq)) does not match the log: \(failure.reason)")
            failed = true
        } else if report.chainBreak != nil, let checkpointFile {
            print("FAILED: the checkpoint in \(checkpointFile) was not checked: the chain is broken")
        }
        if !report.projectionMismatches.isEmpty {
            print(
                "FAILED: projections differ from a fresh replay: \(report.projectionMismatches.joined(separator: ", "))"
            )
            print("run `grantledger replay --data-dir \(ledgerFile.data.directory)` with the server stopped to rebuild them")
            failed = true
        }
        if failed { throw ExitCode(1) }

        let checkpoints =
            if let newest = report.newestCheckpoint {
                "\(report.checkpointsChecked) stored checkpoint\(report.checkpointsChecked == 1 ? "" : "s") match (newest at seq \(newest.seq), \(newest.recordedAt))"
            } else {
                "no stored checkpoints"
            }
        print(
            "OK: \(report.eventCount) events, hash chain intact, append-only triggers in place, \(checkpoints), \(chainOnly ? "projections not compared (--chain-only)" : "projections equal a fresh replay")"
        )
        if let checkpointFile, let external {
            print("  checkpoint in \(checkpointFile) matches: seq \(external.seq), \(external.recordedAt)")
        }
        if !report.checkpointKids.isEmpty {
            print("  checkpoint keys: \(report.checkpointKids.joined(separator: ", "))")
        }
        for (name, checksum) in report.checksums.sorted(by: { $0.key < $1.key }) {
            print("  \(name) \(checksum)")
        }
    }

    static func readCheckpoint(_ path: String) throws -> Checkpoint {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(Checkpoint.self, from: data)
        } catch {
            throw CLIError(
                "\(path) is not a checkpoint (JSON with ledger_id, seq, hash, recorded_at and jws): \(error)")
        }
    }
}
