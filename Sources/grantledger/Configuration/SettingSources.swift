import ArgumentParser
import Configuration
import Foundation
import LedgerCore

/// Where settings come from, in precedence order: flags, then environment variables, then the
/// config file, then the defaults. The environment and the JSON file are read by
/// swift-configuration's providers; each lookup goes to them in turn, rather than through one
/// `ConfigReader`, so a value that does not parse is an error naming where it came from, never
/// silently the default.
struct SettingSources: Sendable {
    enum Source: Sendable, Equatable, CustomStringConvertible {
        case flag, environment, file(String), defaultValue

        var description: String {
            switch self {
            case .flag: "flag"
            case .environment: "environment"
            case .file(let path): "config file \(path)"
            case .defaultValue: "default"
            }
        }
    }

    /// The flags given, by setting key: `.string`, `.stringArray` or `.bool`.
    let flags: [String: ConfigContent]
    let environment: EnvironmentVariablesProvider
    let file: (path: String, provider: FileProvider<JSONSnapshot>)?

    init(
        flags: [String: ConfigContent], environment: [String: String] = ProcessInfo.processInfo.environment,
        file: (path: String, provider: FileProvider<JSONSnapshot>)? = nil
    ) {
        self.flags = flags
        self.environment = EnvironmentVariablesProvider(
            environmentVariables: environment.filter { !$0.value.isEmpty }, arraySeparator: ",")
        self.file = file
    }

    /// Opens the config file (`--config`, or `GRANTLEDGER_CONFIG`) when one is named. A member
    /// that is not a setting is refused: a misspelt key would otherwise be silently ignored.
    static func load(flags: [String: ConfigContent], environment: [String: String] = ProcessInfo.processInfo.environment)
        async throws -> SettingSources
    {
        let bare = SettingSources(flags: flags, environment: environment)
        guard let path = try bare.string(.config)?.value else { return bare }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("--config: cannot read \(path)")
        }
        guard data.count <= 1 << 20, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ValidationError("--config: \(path) is not a JSON object of at most 1 MiB")
        }
        if let unknown = object.keys.sorted().first(where: { !Setting.fileKeys.contains($0) }) {
            throw ValidationError(
                "--config: \(path) names \"\(unknown.prefix(64))\", which is not a setting (see `grantledger config --markdown`)")
        }
        // The path goes in through a reader (the provider's documented alternative to a
        // `FilePath`), which spares a dependency on swift-system for one initializer.
        let provider = try await FileProvider<JSONSnapshot>(
            config: ConfigReader(provider: InMemoryProvider(values: ["filePath": .init(.string(path), isSecret: false)])))
        return SettingSources(flags: flags, environment: environment, file: (path, provider))
    }

    // MARK: Typed lookups

    func string(_ setting: Setting) throws -> (value: String, source: Source)? {
        try lookup(setting, .string).map { content, source in
            guard case .string(let text) = content else { throw mismatch(setting, source) }
            return (text, source)
        }
    }

    func list(_ setting: Setting) throws -> (value: [String], source: Source)? {
        try lookup(setting, .stringArray).map { content, source in
            guard case .stringArray(let items) = content else { throw mismatch(setting, source) }
            let trimmed = items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return (trimmed, source)
        }
    }

    func toggle(_ setting: Setting) throws -> Bool { try toggleFound(setting).value }

    func toggleFound(_ setting: Setting) throws -> (value: Bool, source: Source) {
        guard let (content, source) = try lookup(setting, .bool) else { return (false, .defaultValue) }
        guard case .bool(let on) = content else { throw mismatch(setting, source) }
        return (on, source)
    }

    /// The value within its bounds, or the bounds' default.
    func integer(_ setting: Setting) throws -> Int64 { try integerFound(setting).value }

    func integerFound(_ setting: Setting) throws -> (value: Int64, source: Source) {
        guard case .integer(let bounds) = setting.kind else { preconditionFailure("\(setting.key) is not a number") }
        // Flags arrive as text (ArgumentParser's own message would not name the range).
        let found: (ConfigContent, Source)?
        if let text = flags[setting.key] { found = (text, .flag) } else { found = try lookup(setting, .int) }
        guard let (content, source) = found else { return (bounds.defaultValue, .defaultValue) }
        let value: Int64
        switch content {
        case .int(let number): value = Int64(number)
        case .string(let text):
            guard let number = Int64(text.trimmingCharacters(in: .whitespaces)) else {
                throw mismatch(setting, source)
            }
            value = number
        default: throw mismatch(setting, source)
        }
        guard bounds.range.contains(value) else {
            throw ValidationError(
                "\(name(setting, source)) must be \(bounds.range.lowerBound) to \(bounds.range.upperBound), not \(value)")
        }
        return (value, source)
    }

    /// One of the setting's words, lower-cased.
    func choice(_ setting: Setting) throws -> String {
        guard case .choice(let words) = setting.kind, let fallback = setting.defaultText else {
            preconditionFailure("\(setting.key) is not a choice with a default")
        }
        guard let (text, source) = try string(setting) else { return fallback }
        guard words.contains(text.lowercased()) else {
            throw ValidationError("\(name(setting, source)) must be \(words.joined(separator: " or ")), not \"\(text.prefix(40))\"")
        }
        return text.lowercased()
    }

    /// Where a value came from, as the operator would look for it.
    func name(_ setting: Setting, _ source: Source) -> String {
        switch source {
        case .flag: setting.flag ?? setting.key
        case .environment: setting.environmentName
        case .file(let path): "\"\(setting.key)\" in \(path)"
        case .defaultValue: setting.key
        }
    }

    // MARK: Plumbing

    private func lookup(_ setting: Setting, _ type: ConfigType) throws -> (ConfigContent, Source)? {
        if let given = flags[setting.key] { return (given, .flag) }
        let environmentKey = AbsoluteConfigKey(["grantledger", setting.key])
        do {
            if let value = try environment.value(forKey: environmentKey, type: type).value {
                return (value.content, .environment)
            }
        } catch {
            throw mismatch(setting, .environment)
        }
        if let file, setting.command == nil {
            do {
                if let value = try file.provider.value(forKey: AbsoluteConfigKey([setting.key]), type: type).value {
                    return (value.content, .file(file.path))
                }
            } catch {
                throw mismatch(setting, .file(file.path))
            }
        }
        return nil
    }

    private func mismatch(_ setting: Setting, _ source: Source) -> ArgumentParser.ValidationError {
        let expected =
            switch setting.kind {
            case .integer: "a whole number"
            case .list: "a list of text"
            case .toggle: "true or false"
            case .choice, .text: "text"
            }
        return ValidationError("\(name(setting, source)) must be \(expected)")
    }
}
