import Foundation
import LedgerCore

/// One configuration setting, described once: its key (the flag's long name and the config
/// file's member), its environment variable, its default and its meaning. The flags' help, the
/// README's table (`grantledger config --markdown`) and the lookup all come from here.
struct Setting: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A whole number within the bounds its settings type declares.
        case integer(SettingBounds)
        /// One of these words (case-insensitive).
        case choice([String])
        case text
        /// Repeatable flag, comma-separated in the environment, an array in the file.
        case list
        /// A flag without a value; `1`/`true`/`yes` in the environment or `true` in the file.
        case toggle
    }

    /// Flag (`--key`), config-file member and, upper-cased with `_`, the environment variable
    /// after `GRANTLEDGER_`.
    let key: String
    let kind: Kind
    /// How the README and the help show the default; nil when the default is the bounds' own.
    let defaultText: String?
    let meaning: String
    /// The flag's name when it is not the key (a repeatable flag is singular, its list plural);
    /// nil with `hasFlag` false for a setting only the environment carries (a secret).
    var flagName: String?
    var hasFlag = true
    /// The subcommand whose flag this is, when not `serve`.
    var command: String?
    /// Never printed by `grantledger config`.
    var isSecret = false

    init(
        _ key: String, _ kind: Kind, default defaultText: String? = nil, _ meaning: String, flag flagName: String? = nil,
        hasFlag: Bool = true, command: String? = nil, isSecret: Bool = false
    ) {
        self.key = key
        self.kind = kind
        self.defaultText = defaultText
        self.meaning = meaning
        self.flagName = flagName
        self.hasFlag = hasFlag
        self.command = command
        self.isSecret = isSecret
    }

    var environmentName: String {
        "GRANTLEDGER_" + key.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// The flag without its dashes.
    var longName: String { flagName ?? key }
    var flag: String? { hasFlag ? "--" + longName : nil }

    /// The default as text, or nil when there is none.
    var defaultDescription: String? {
        if let defaultText { return defaultText }
        if case .integer(let bounds) = kind { return String(bounds.defaultValue) }
        return nil
    }

    /// The flag's `--help` line: the meaning, then where else it may come from and its default.
    var help: String {
        var extra = ["env \(environmentName)\(kind == .list ? ", comma-separated" : "")"]
        if case .integer(let bounds) = kind { extra.append("\(bounds.range.lowerBound) to \(bounds.range.upperBound)") }
        if case .choice(let words) = kind { extra.append(words.joined(separator: " | ")) }
        if let defaultDescription { extra.append("default \(defaultDescription)") }
        return "\(meaning) (\(extra.joined(separator: "; ")))."
    }
}
