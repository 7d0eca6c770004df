import ArgumentParser
import Foundation

struct GrantLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grantledger",
        abstract: "An event-sourced permissions and budget ledger on SQLite.",
        discussion:
            "Every option can also be set with the GRANTLEDGER_… environment variable named in its help, and the server's in a --config JSON file; flags win over the environment, which wins over the file.",
        subcommands: [
            Serve.self, ConfigCommand.self, Replay.self, Verify.self, Inspect.self, AuditCommand.self, Backup.self, Keys.self,
            UserToken.self,
        ],
        defaultSubcommand: Serve.self)
}

/// Unbuffered stdout, so start-up lines reach a pipe or a file at once (print buffers there).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A failure at run time (not a mistake in the flags): printed as `Error: …` without the usage text.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
