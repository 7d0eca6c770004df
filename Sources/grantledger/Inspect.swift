import ArgumentParser
import Configuration
import Foundation
import LedgerCore
import LedgerStore

struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a stream's events, oldest first (e.g. connection/<id>, or connection/<id>/rejections).")

    @OptionGroup var ledgerFile: LedgerFileOptions

    @Argument(help: "The stream, e.g. connection/4f1c…")
    var stream: String

    @Flag(name: .customLong(Setting.inspectJson.longName), help: .init(Setting.inspectJson.help))
    var jsonFlag = false

    @Option(name: .customLong(Setting.inspectLimit.longName), help: .init(Setting.inspectLimit.help))
    var limitFlag: String?

    var sources: SettingSources {
        var flags: [String: ConfigContent] = [:]
        if jsonFlag { flags[Setting.inspectJson.key] = .bool(true) }
        if let limitFlag { flags[Setting.inspectLimit.key] = .string(limitFlag) }
        return SettingSources(flags: flags)
    }

    func run() async throws {
        try ledgerFile.requireExistingDatabase()
        let ledger = try Ledger(path: ledgerFile.databasePath)
        let sources = sources
        let json = try sources.toggle(.inspectJson)
        let events = try ledger.events(stream: stream, limit: Int(try sources.integer(.inspectLimit)))
        guard !events.isEmpty else {
            print("no events in stream \(stream)")
            throw ExitCode(1)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for event in events {
            let time = formatter.string(from: Date(timeIntervalSince1970: Double(event.recordedAtMs) / 1000))
            let data = String(decoding: event.data, as: UTF8.self)
            let meta = String(decoding: event.meta, as: UTF8.self)
            if json {
                print(
                    #"{"seq":\#(event.seq),"stream_version":\#(event.streamVersion),"recorded_at":"\#(time)","type":"\#(event.type)","type_version":\#(event.typeVersion),"event_id":"\#(event.eventId)","data":\#(data),"meta":\#(meta)}"#
                )
            } else {
                let metadata = try? event.metadata()
                print("#\(event.seq)  v\(event.streamVersion)  \(time)  \(event.type) (schema \(event.typeVersion))")
                if let metadata {
                    var who = "  by \(metadata.actor.id) (\(metadata.actor.role)), action \(metadata.action.rawValue)"
                    if let subject = metadata.subject { who += ", subject \(subject.idType) \(subject.id)" }
                    if let ip = metadata.source.ip { who += ", from \(ip)" }
                    print(who + ", request \(metadata.requestId)")
                }
                print("  \(data)")
            }
        }
    }
}
