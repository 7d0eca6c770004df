import Foundation
import GRDB
import LedgerStore
import Testing

@Suite(.serialized) struct CommandLineTests {
    /// A data directory with a short history, written by the real server and then stopped.
    func history() async throws -> (directory: String, ids: [String]) {
        let directory = try ServerProcess.temporaryDataDirectory()
        let server = try await ServerProcess(dataDirectory: directory)
        var ids: [String] = []
        for index in 0..<3 {
            let (status, output) = try await runCurlLike(
                "POST", "\(server.baseURL)/admin/connections",
                body: #"{"user_id":"user-1","name":"App \#(index)","scopes":["get_info"]}"#)
            #expect(status == 201)
            let json = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
            ids.append(try #require(json?["id"] as? String))
        }
        let (status, _) = try await runCurlLike("DELETE", "\(server.baseURL)/admin/connections/\(ids[0])")
        #expect(status == 200)
        #expect(await server.stop() == 0)
        return (directory, ids)
    }

    @Test func verifyPassesOnAnIntactLogAndNamesTheFirstTamperedRow() async throws {
        let (directory, _) = try await history()
        let intact = try await runCLI(["verify", "--data-dir", directory])
        #expect(intact.status == 0, "\(intact.output)")

        let ledger = try Ledger(path: directory + "/ledger.sqlite")
        // seq 1 is the admin credential, seq 2 the checkpoint key; seq 4 grants "App 1".
        let granted = String(decoding: try #require(try ledger.events(afterSeq: 3, limit: 1).first).data, as: UTF8.self)
        await ledger.close()
        let tampered = granted.replacingOccurrences(of: "App 1", with: "App X")
        #expect(tampered != granted)
        let database = try DatabaseQueue(path: directory + "/ledger.sqlite")
        try await database.write { db in
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            try db.execute(sql: "UPDATE events SET data = ? WHERE seq = 4", arguments: [tampered])
        }
        let broken = try await runCLI(["verify", "--data-dir", directory])
        #expect(broken.status != 0)
        #expect(broken.output.contains("seq 4"), "\(broken.output)")
    }

    @Test func replayUntilWritesAnEarlierLedgerThatVerifies() async throws {
        let (directory, ids) = try await history()
        // seq 1 is the admin credential, seq 2 the checkpoint key; seq 3 grants ids[0]; seq 6 revokes it.
        let out = directory + "/as-of-3.sqlite"
        let replay = try await runCLI(["replay", "--data-dir", directory, "--until", "3", "--out", out])
        #expect(replay.status == 0, "\(replay.output)")
        let earlier = try DatabaseQueue(path: out)
        let status = try await earlier.read { db in
            try String.fetchOne(db, sql: "SELECT status FROM connections WHERE id = ?", arguments: [ids[0]])
        }
        #expect(status == "active")
        let copyDirectory = directory + "/copy"
        try FileManager.default.createDirectory(atPath: copyDirectory, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: out, toPath: copyDirectory + "/ledger.sqlite")
        #expect(try await runCLI(["verify", "--data-dir", copyDirectory]).status == 0)

        let rebuild = try await runCLI(["replay", "--data-dir", directory])
        #expect(rebuild.status == 0, "\(rebuild.output)")
        #expect(rebuild.output.contains("rebuilt the projections from 6 events"))
    }

    @Test func inspectShowsAStreamsEventsWithTheirAuditEnvelope() async throws {
        let (directory, ids) = try await history()
        let inspect = try await runCLI(["inspect", "connection/\(ids[0])", "--data-dir", directory])
        #expect(inspect.status == 0, "\(inspect.output)")
        #expect(inspect.output.contains("ConnectionGranted"))
        #expect(inspect.output.contains("ConnectionRevoked"))
        #expect(inspect.output.contains("by admin (admin)"))
        let missing = try await runCLI(["inspect", "connection/nope", "--data-dir", directory])
        #expect(missing.status != 0)
    }

    @Test func commandsOnAMissingLedgerFailClearlyWithoutCreatingOne() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let verify = try await runCLI(["verify", "--data-dir", directory])
        #expect(verify.status != 0)
        #expect(verify.output.contains("no ledger at"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/ledger.sqlite"))
    }

    @Test func metricsCountCommandsInPrometheusTextFormat() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let server = try await ServerProcess(dataDirectory: directory)
        let (created, _) = try await runCurlLike(
            "POST", "\(server.baseURL)/admin/connections", body: #"{"user_id":"u","name":"n","scopes":["get_info"]}"#)
        #expect(created == 201)
        let (status, text) = try await runCurlLike("GET", "\(server.baseURL)/metrics")
        #expect(status == 200)
        // The admin credential and the checkpoint key recorded at start-up, and the grant.
        #expect(text.contains(#"ledger_commands_total{outcome="accepted"} 3"#), "\(text)")
        #expect(text.contains("ledger_commit_duration_seconds"))
        #expect(text.contains("hb_requests"))
        #expect(await server.stop() == 0)
    }

    @Test func keysRotateReachesARunningServerWithoutARestart() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let server = try await ServerProcess(dataDirectory: directory)
        func kids() async throws -> [String] {
            let answer = try await runCurlLike("GET", server.baseURL + "/.well-known/jwks.json")
            let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: [[String: String]]]
            return (json?["keys"] ?? []).compactMap { $0["kid"] }
        }
        let before = try await kids()
        // An ES256 and an RS256 key; rotation adds one of each.
        #expect(before.count == 2)
        let rotated = try await runCLI(["keys", "rotate", "--data-dir", directory])
        #expect(rotated.status == 0, "\(rotated.output)")
        // The reload service looks every 5 s.
        var after = try await kids()
        for _ in 0..<40 where after.count < 4 {
            try await Task.sleep(for: .milliseconds(250))
            after = try await kids()
        }
        #expect(after.count == 4 && Set(before).isSubset(of: Set(after)), "\(after)")
        for kid in Set(after).subtracting(before) { #expect(rotated.output.contains("active   \(kid)")) }
        #expect(await server.stop() == 0)
    }

    @Test(arguments: [
        ("100.JPY/daily", "the demo wallet cannot price JPY"), ("5/daily;max=0", "max must be positive"),
        ("lots", "amount must be a whole number"),
    ])
    func aDefaultBudgetThatCouldNeverBeSpentAgainstStopsTheServerFromStarting(budget: String, reason: String) async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let result = try await runCLI(["serve", "--data-dir", directory, "--port", "0", "--default-budget", budget])
        #expect(result.status != 0)
        #expect(result.output.contains(reason), "\(result.output)")
    }

    @Test func aSecondServerOnTheSameDataDirectoryRefusesToStart() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let first = try await ServerProcess(dataDirectory: directory)
        await #expect(throws: ServerError.self) { try await ServerProcess(dataDirectory: directory) }
        #expect(await first.stop() == 0)
    }
}

/// A tiny HTTP call through curl, the client operators use from a shell; the wait for curl is on
/// a thread of its own (`onThreadOfItsOwn`).
func runCurlLike(_ method: String, _ url: String, body: String? = nil) async throws -> (status: Int, body: String) {
    var arguments = [
        "curl", "-s", "-o", "-", "-w", "\n%{http_code}", "-X", method, "-H",
        "Authorization: Bearer \(ServerProcess.adminToken)",
    ]
    if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
    let command = arguments + [url]
    let text = try await onThreadOfItsOwn {
        try ChildProcess.output(of: "/usr/bin/env", command, includingStderr: false).output
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
}
