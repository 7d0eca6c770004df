import ArgumentParser
import Configuration
import Foundation

/// Options every subcommand that opens the ledger shares.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong(Setting.dataDir.longName), help: .init(Setting.dataDir.help))
    var dataDir: String?

    var directory: String {
        // A text setting from a flag or the environment cannot fail to parse.
        let sources = SettingSources(flags: dataDir.map { [Setting.dataDir.key: .string($0)] } ?? [:])
        return (try? sources.string(.dataDir)?.value) ?? Setting.dataDir.defaultText ?? "./data"
    }
    var databasePath: String { (directory as NSString).appendingPathComponent("ledger.sqlite") }

    /// For commands that read an existing ledger: never create an empty one by accident.
    func requireExistingDatabase() throws {
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw CLIError("no ledger at \(databasePath); start `grantledger serve` first or pass --data-dir")
        }
    }

    /// For commands that write the ledger (serve, replay, and backup, which records its read):
    /// say why the directory cannot be written instead of SQLite's "unable to open database file".
    func requireWritableDirectory() throws {
        try Self.requireWritable(directory)
    }

    static func requireWritable(_ directory: String) throws {
        guard access(directory, W_OK) != 0 else { return }
        let reason = errno == EROFS ? "it is on a read-only filesystem" : String(cString: strerror(errno))
        throw CLIError(
            "cannot write to \(directory): \(reason). The ledger records every change, reads of the audit log included, so it needs to write there."
        )
    }
}

/// For commands that read a ledger: the data directory's, or a file elsewhere such as a backup.
struct LedgerFileOptions: ParsableArguments {
    @OptionGroup var data: DataDirectoryOptions

    @Option(
        name: .customLong("database"),
        help: .init(
            "A ledger file to read instead of DATA_DIR/ledger.sqlite, e.g. one `grantledger backup` wrote.",
            valueName: "file"))
    var databaseFile: String?

    var databasePath: String { databaseFile ?? data.databasePath }

    func requireExistingDatabase() throws {
        guard let databaseFile else { return try data.requireExistingDatabase() }
        guard FileManager.default.fileExists(atPath: databaseFile) else { throw CLIError("no ledger file at \(databaseFile)") }
    }
}
