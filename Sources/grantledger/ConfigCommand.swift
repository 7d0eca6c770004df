import ArgumentParser
import Foundation
import LedgerCore

/// `grantledger config`: what the server would run with, and from where each value comes; or,
/// with `--markdown`, the README's configuration table, generated from the same catalog.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the configuration `serve` would use with these flags, environment and --config file.")

    @OptionGroup var options: ServeOptions

    @Flag(help: "Print the table of every setting (flag, environment variable, default, meaning) as Markdown.")
    var markdown = false

    func run() async throws {
        if markdown {
            print(Self.markdownTable(), terminator: "")
            return
        }
        let sources = try await SettingSources.load(flags: options.flags)
        // Resolving checks every value, as `serve` would, before anything is shown.
        _ = try ServeConfiguration(sources)
        for setting in Setting.all where setting.command == nil {
            let (value, source) = try sources.describe(setting)
            print("\(setting.key) = \(setting.isSecret && source != .defaultValue ? "(secret)" : value)  [\(source)]")
        }
    }

    /// One row per setting; the README's table is this output, checked by a test.
    static func markdownTable() -> String {
        var lines = ["| flag | environment | default | meaning |", "|---|---|---|---|"]
        for setting in Setting.all {
            var flag = setting.flag.map { "`\($0)`" } ?? "—"
            if let command = setting.command { flag = "`\(command) \(setting.flag ?? "")`" }
            if setting.kind == .list { flag += " (repeatable)" }
            let environment =
                "`\(setting.environmentName)`" + (setting.kind == .list ? " (comma-separated)" : "")
                + (setting.kind == .toggle ? " (`1`)" : "")
            let fallback = setting.defaultDescription.map { $0.hasPrefix("`") || $0.contains(" ") ? $0 : "`\($0)`" } ?? "—"
            var meaning = setting.meaning
            if case .integer(let bounds) = setting.kind {
                meaning += " (\(bounds.range.lowerBound)–\(bounds.range.upperBound))"
            }
            lines.append("| \(flag) | \(environment) | \(fallback) | \(meaning) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension SettingSources {
    /// A setting's effective value as text, and where it came from.
    func describe(_ setting: Setting) throws -> (value: String, source: Source) {
        switch setting.kind {
        case .integer:
            let (value, source) = try integerFound(setting)
            return (String(value), source)
        case .list:
            guard let (items, source) = try list(setting) else { return (setting.defaultDescription ?? "", .defaultValue) }
            return (items.joined(separator: ", "), source)
        case .toggle:
            let (on, source) = try toggleFound(setting)
            return (on ? "on" : "off", source)
        case .choice, .text:
            guard let (text, source) = try string(setting) else {
                return (setting.defaultDescription ?? "", .defaultValue)
            }
            return (text, source)
        }
    }
}
