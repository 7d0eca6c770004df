import ArgumentParser
import Foundation
import Logging

enum LogSetup {
    static func bootstrap(level: String, format: String) throws -> Logger {
        guard let logLevel = Logger.Level(rawValue: level.lowercased()) else {
            throw ValidationError(
                "log level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        switch format.lowercased() {
        case "text":
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = logLevel
                return DeferredMetadataLogHandler(handler)
            }
        case "json":
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, logLevel: logLevel) }
        default:
            throw ValidationError("log format must be text or json")
        }
        return Logger(label: "grantledger")
    }
}

/// A handler (swift-log's `StreamLogHandler` here) with its metadata kept aside until a message
/// is logged. `StreamLogHandler` pretty-prints its metadata each time a key is set, and
/// Hummingbird sets the request's id on every request's logger whether or not anything is logged
/// then: 1.4 % of a keysend load's request threads in `perf`. Here the metadata goes to it with
/// each message logged, merged as it merges its own (the message's values win), so the lines
/// read as they did.
struct DeferredMetadataLogHandler<Inner: LogHandler>: LogHandler {
    private var inner: Inner
    var metadata: Logger.Metadata = [:]

    init(_ inner: Inner) { self.inner = inner }

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    /// The inner handler's. Its values now rank below the logger's metadata (they were between it
    /// and the message's); none is set here (`LogSetup` bootstraps without one).
    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty { event.metadata = metadata.merging(event.metadata ?? [:]) { $1 } }
        inner.log(event: event)
    }
}

/// One JSON object per line on stderr, for log shippers. swift-log ships no JSON handler, so this
/// small one is written here.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(label: String, logLevel: Logger.Level) {
        self.label = label
        self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = "\(value)"
        }
        fields["ts"] = ISO8601DateFormatter().string(from: Date())
        fields["level"] = event.level.rawValue
        fields["logger"] = label
        fields["msg"] = "\(event.message)"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(fields) else { return }
        line.append(0x0A)
        FileHandle.standardError.write(line)
    }
}
