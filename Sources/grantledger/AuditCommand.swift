import ArgumentParser
import Configuration
import Foundation
import LedgerApp
import LedgerCore
import LedgerStore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The NEN 7513 audit trail.", subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the audit trail out, oldest first, as FHIR, NDJSON or CSV.",
            discussion: """
                Streams: memory stays the same however long the log is. Safe while the server runs; the export
                stops at the newest record when it began. The export is a read of the log and is recorded in it
                (event code audit-log-read, user operator:<--operator>), like every other read. Progress goes to
                stderr. With --out the file appears only once complete (written to FILE.partial first).
                """)

        @OptionGroup var ledgerFile: LedgerFileOptions

        @Option(
            help: .init(
                "fhir (one R4 Bundle of type collection), ndjson (one record per line, as GET /audit/events answers it) or csv (RFC 4180, a header row).",
                valueName: "format"))
        var format: String

        @Option(help: .init("Records that occurred at or after this time (RFC 3339, or a date: its start in UTC).", valueName: "time"))
        var from: String?

        @Option(help: .init("Records that occurred at or before this time (RFC 3339, or a date: its end in UTC).", valueName: "time"))
        var until: String?

        @Option(
            help: .init(
                "Only this subject's records: an id (999911120), or id type and id as FHIR writes a token (urn:oid:2.16.840.1.113883.2.4.6.3|999911120).",
                valueName: "id"))
        var subject: String?

        @Option(help: .init("Write to this file (it must not exist yet) instead of stdout.", valueName: "file"))
        var out: String?

        @Option(
            name: .customLong("base-url"),
            help: .init(
                "With --format fhir: the server's public URL, for each entry's fullUrl (default: the issuer `serve` would use in this environment, GRANTLEDGER_ISSUER or http://HOST:PORT).",
                valueName: "url"))
        var baseURL: String?

        @Option(
            name: .customLong("operator"),
            help: .init("Who is exporting, as the log's record of the read names them (default: the login name).", valueName: "name"))
        var operatorName: String?

        func validate() throws {
            guard AuditExportFormat(rawValue: format) != nil else {
                throw ValidationError("--format must be one of fhir, ndjson, csv (not \(format))")
            }
            _ = try filter()
            if let out, FileManager.default.fileExists(atPath: out) {
                throw ValidationError("\(out) exists already; an export never overwrites a file")
            }
            if let baseURL, URL(string: baseURL)?.scheme == nil {
                throw ValidationError("--base-url must be an absolute URL")
            }
            if let operatorName, !(1...128).contains(operatorName.utf8.count) {
                throw ValidationError("--operator must be 1 to 128 bytes")
            }
        }

        func filter() throws -> AuditFilter {
            var filter = AuditFilter()
            if let from { filter.fromMs = try Self.time(from, flag: "--from", endOfDay: false) }
            if let until { filter.untilMs = try Self.time(until, flag: "--until", endOfDay: true) }
            if let from = filter.fromMs, let until = filter.untilMs, from > until {
                throw ValidationError("--from is after --until")
            }
            if let subject {
                guard (1...512).contains(subject.utf8.count) else { throw ValidationError("--subject must be 1 to 512 bytes") }
                if let bar = subject.lastIndex(of: "|") {
                    let type = String(subject[..<bar])
                    let id = String(subject[subject.index(after: bar)...])
                    guard !id.isEmpty else { throw ValidationError("--subject \(subject) has no id after |") }
                    filter.subjectId = id
                    if !type.isEmpty { filter.subjectIdType = type }
                } else {
                    filter.subjectId = subject
                }
                // The export is recorded with this subject, so it is held to what any search takes.
                do {
                    try AuditTrail.check(filter)
                } catch {
                    throw ValidationError("--subject: its \(error.field == "subject_id" ? "id" : "type") \(error.reason)")
                }
            }
            return filter
        }

        /// The issuer `serve` would take from the same environment and config file.
        static func serversIssuer() async throws -> String {
            let sources = try await SettingSources.load(flags: [:])
            if let issuer = try sources.string(.issuer)?.value { return issuer }
            let host = try sources.string(.host)?.value ?? Setting.host.defaultText ?? "127.0.0.1"
            return "http://\(host):\(try sources.integer(.port))"
        }

        static func time(_ text: String, flag: String, endOfDay: Bool) throws -> Int64 {
            if let ms = RFC3339.unixMs(text) { return ms }
            if text.utf8.count == 10, let ms = RFC3339.unixMs(text + "T00:00:00Z") {
                return endOfDay ? ms + 86_400_000 - 1 : ms
            }
            throw ValidationError("\(flag) \(text) is not an RFC 3339 time (2026-11-30T10:00:00Z) or a date (2026-11-30)")
        }

        func run() async throws {
            try ledgerFile.requireExistingDatabase()
            let format = AuditExportFormat(rawValue: format)!
            let filter = try filter()
            let base: String
            if let baseURL { base = baseURL } else { base = try await Self.serversIssuer() }
            let ledger = try Ledger(path: ledgerFile.databasePath)
            let output = try ExportOutput(path: out)
            let query = [("from", from), ("until", until), ("subject", subject)]
                .compactMap { name, value in value.map { "\(name)=\($0)" } }.joined(separator: "&")
            var progress: Progress?
            do {
                let count = try await AuditExport(ledger: ledger).run(
                    format, filter: filter, baseURL: base, query: query, operatorId: operatorName ?? loginName(),
                    write: output.write,
                    progress: { done, total in
                        if progress == nil { progress = Progress(label: "exported", total: Int64(total), unit: "records") }
                        progress?.report(Int64(done))
                    })
                FileHandle.standardError.write(Data("\n".utf8))
                try output.finish()
                if let out { FileHandle.standardError.write(Data("wrote \(count) records to \(out)\n".utf8)) }
            } catch {
                output.abandon()
                throw error
            }
            await ledger.close()
        }
    }
}

/// Who runs this command, for the log's record of an operator's read.
func loginName() -> String {
    if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return ProcessInfo.processInfo.environment["USER"] ?? "uid-\(getuid())"
}

/// Where an export goes: stdout, or a file that appears under its name only once complete.
final class ExportOutput {
    private let handle: FileHandle
    private let path: String?
    private var partialPath: String? { path.map { $0 + ".partial" } }

    init(path: String?) throws {
        self.path = path
        guard let path else {
            handle = FileHandle.standardOutput
            return
        }
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil),
            let handle = FileHandle(forWritingAtPath: partial)
        else { throw CLIError("cannot create \(partial)") }
        self.handle = handle
    }

    func write(_ data: Data) throws {
        guard !data.isEmpty else { return }
        // The throwing write: a full disk is an error here, not a crash.
        try handle.write(contentsOf: data)
    }

    func finish() throws {
        guard let path, let partialPath else { return }
        try handle.synchronize()
        try handle.close()
        guard !FileManager.default.fileExists(atPath: path) else {
            throw CLIError("\(path) appeared while exporting; the export is in \(partialPath)")
        }
        try FileManager.default.moveItem(atPath: partialPath, toPath: path)
    }

    func abandon() {
        guard let partialPath else { return }
        try? handle.close()
        try? FileManager.default.removeItem(atPath: partialPath)
    }
}
