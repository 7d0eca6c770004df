import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a stream's events, oldest first (e.g. connection/<id>, or connection/<id>/rejections).")

    @OptionGroup var data: DataDirectoryOptions

    @Argument(help: "The stream, e.g. connection/4f1c…")
    var stream: String

    @Flag(
        name: .customLong("json"),
        help: "One JSON object per line instead of the readable form (env GRANTLEDGER_INSPECT_JSON=1).")
    var jsonFlag = false

    @Option(name: .customLong("limit"), help: "Most events to show (env GRANTLEDGER_INSPECT_LIMIT; default 1000).")
    var limitFlag: Int?

    var json: Bool { jsonFlag || Environment.value("GRANTLEDGER_INSPECT_JSON") == "1" }

    func run() async throws {
        try data.requireExistingDatabase()
        let ledger = try Ledger(path: data.databasePath)
        let limit = try Environment.int(limitFlag, "GRANTLEDGER_INSPECT_LIMIT", default: 1000)
        let events = try ledger.events(stream: stream, limit: min(max(1, limit), 100_000))
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
