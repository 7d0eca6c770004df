import Foundation
import GRDB
import Testing

@testable import LedgerStore

/// `tools/event_storage.py` reads the log with Python alone: the storage format is documented
/// for operators and other tools (crash cycles find each request's events through it), so a
/// second reader must agree with the server's, byte for byte, on a ledger the server wrote.
@Suite struct EventStorageToolTests {
    @Test func pythonReadsEveryEventOfTheServersLedgerAsTheServerDoes() async throws {
        let directory = try await CheckpointVerifyTests().history()
        let path = directory + "/ledger.sqlite"
        let tool = PythonClientTests.packageRoot.appendingPathComponent("tools/event_storage.py").path
        let (status, output) = try await runToCompletion(URL(fileURLWithPath: "/usr/bin/env"), ["python3", tool, path])
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n").map(String.init)

        let ledger = try Ledger(path: path)
        let events = try ledger.events(afterSeq: 0, limit: 1_000)
        let (compact, packedKeys, typeCodes) = try await ledger.database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE typeof(data) = 'blob'") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE typeof(event_id) = 'blob' AND typeof(stream) = 'blob'") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE typeof(type) = 'blob'") ?? 0
            )
        }
        await ledger.close()
        #expect(compact >= 4, "the four grants are stored compact")
        #expect(packedKeys >= 4, "the four grants' ids and streams are kept as bytes")
        #expect(typeCodes == events.count, "every type is one the table names, kept as its code")
        #expect(lines.count == events.count)
        for (line, event) in zip(lines, events) {
            let tail = #","data":\#(String(decoding: event.data, as: UTF8.self)),"meta":\#(String(decoding: event.meta, as: UTF8.self))}"#
            #expect(line.hasPrefix(#"{"seq":\#(event.seq),"#) && line.hasSuffix(tail), "\(line)")
            let head = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(head?["stream"] as? String == event.stream && head?["event_id"] as? String == event.eventId, "\(line)")
            #expect(head?["type"] as? String == event.type, "\(line)")
        }
    }
}
