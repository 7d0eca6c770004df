import ArgumentParser
import Foundation

/// Flags win over environment variables, which win over defaults. ArgumentParser has no
/// environment support of its own, hence this small lookup.
enum Environment {
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    static func int(_ flag: Int?, _ name: String, default defaultValue: Int) throws -> Int {
        if let flag { return flag }
        guard let text = value(name) else { return defaultValue }
        guard let parsed = Int(text) else { throw ValidationError("\(name) must be a whole number, not \"\(text)\"") }
        return parsed
    }

    static func list(_ flag: [String], _ name: String) -> [String] {
        if !flag.isEmpty { return flag }
        return value(name)?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            ?? []
    }
}

/// Options every subcommand that opens the ledger shares.
struct DataDirectoryOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Directory holding ledger.sqlite, keys/ and admin-token (env GRANTLEDGER_DATA_DIR; default ./data).")
    var dataDir: String?

    var directory: String { dataDir ?? Environment.value("GRANTLEDGER_DATA_DIR") ?? "./data" }
    var databasePath: String { (directory as NSString).appendingPathComponent("ledger.sqlite") }

    /// For commands that read an existing ledger: never create an empty one by accident.
    func requireExistingDatabase() throws {
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw CLIError("no ledger at \(databasePath); start `grantledger serve` first or pass --data-dir")
        }
    }
}
