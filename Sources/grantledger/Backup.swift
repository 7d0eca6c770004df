import ArgumentParser
import Foundation
import LedgerApp
import LedgerStore

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the whole ledger (log, projections, checkpoints) to one new file, safely while the server runs.",
        discussion: """
            The copy is one consistent moment of the database (SQLite's VACUUM INTO), compacted, with the append-only
            triggers and every stored checkpoint; it needs nothing beside it. Check it with
            `grantledger verify --database FILE`, and read it with `inspect` or `audit export --database FILE`.
            Keep copies off this machine: NEN 7513 asks for five years.
            """)

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: .init("The new file (it must not exist yet).", valueName: "file"))
    var out: String

    @Option(
        name: .customLong("operator"),
        help: .init("Who is taking the backup, as the log's record of the read names them (default: the login name).", valueName: "name"))
    var operatorName: String?

    func validate() throws {
        if FileManager.default.fileExists(atPath: out) {
            throw ValidationError("\(out) exists already; a backup never overwrites a file")
        }
    }

    func run() async throws {
        try data.requireExistingDatabase()
        try data.requireWritableDirectory()
        let ledger = try Ledger(path: data.databasePath)
        let partial = out + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        let started = Date()
        let headSeq: Int64
        do {
            // A backup reads the whole trail: recorded first, so the copy holds its own record.
            try await AuditExport.recordOperatorRead(
                ledger, query: "backup out=\(out)", subject: nil, count: try ledger.auditRecordCount(AuditFilter()),
                operatorId: operatorName ?? loginName())
            headSeq = try ledger.backup(to: partial)
            try FileManager.default.moveItem(atPath: partial, toPath: out)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw CLIError("backup to \(out) failed: \(error)")
        }
        await ledger.close()
        let bytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
        print(
            String(
                format: "wrote %@: %lld events, %.1f MB, in %.1f s", out, headSeq, Double(bytes) / 1_000_000,
                Date().timeIntervalSince(started)))
        print("check it with: grantledger verify --database \(out)")
    }
}
