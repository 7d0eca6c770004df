import Foundation
import Testing

/// `grantledger audit export` and `grantledger backup`, run as an operator runs them: next to a
/// live server, on its data directory.
@Suite(.serialized) struct AuditExportCommandTests {
    static func record(_ n: Int, subject: String, data: String = "lab results") -> String {
        let json = try! JSONSerialization.data(withJSONObject: [
            "record_id": "r-\(n)",
            "event": ["code": "110110", "system": "http://dicom.nema.org/resources/ontology/DCM", "display": "Patient Record"],
            "action": "R", "occurred_at": "2026-11-\(String(format: "%02d", n))T10:00:00Z",
            "user": ["id": "uzi:123456", "role": "01.015", "name": "J. \"Jan\", Jansen"],
            "subject": ["id_type": "urn:oid:2.16.840.1.113883.2.4.6.3", "id": subject],
            "authorization_protocol": "consent:abc", "data": data, "emergency": n == 3,
        ])
        return String(decoding: json, as: UTF8.self)
    }

    /// A running server with ten reported accesses, five for each of two patients, on days 1 to 10.
    func serverWithAccesses() async throws -> (server: ServerProcess, directory: String) {
        let directory = try ServerProcess.temporaryDataDirectory()
        let server = try await ServerProcess(dataDirectory: directory)
        let records = (1...10).map { Self.record($0, subject: $0 % 2 == 0 ? "123456782" : "999911120", data: "lab, \"HbA1c\"") }
        let reported = try await runCurlLike(
            "POST", server.baseURL + "/audit/access", body: #"{"records": ["# + records.joined(separator: ",") + "]}")
        #expect(reported.status == 201, "\(reported.body)")
        return (server, directory)
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func anNDJSONExportIsWhatTheQueryAnswersAndIsItselfARecordedRead() async throws {
        let (server, directory) = try await serverWithAccesses()
        defer { _ = server.stop() }
        let out = directory + "/patient.ndjson"
        let export = try await runCLI([
            "audit", "export", "--data-dir", directory, "--format", "ndjson", "--subject",
            "urn:oid:2.16.840.1.113883.2.4.6.3|999911120", "--from", "2026-11-02", "--until", "2026-11-07T23:59:59Z",
            "--out", out, "--operator", "auditor-anna",
        ])
        #expect(export.status == 0, "\(export.output)")
        #expect(export.output.contains("wrote 3 records"), "\(export.output)")
        #expect(!FileManager.default.fileExists(atPath: out + ".partial"))

        // The same records, byte for byte, as GET /audit/events gives them out.
        let query = try await runCurlLike(
            "GET", server.baseURL + "/audit/events?subject_id=999911120&from=2026-11-02T00:00:00Z&until=2026-11-07T23:59:59Z")
        let page = try #require(try JSONSerialization.jsonObject(with: Data(query.body.utf8)) as? [String: Any])
        let served = try #require(page["records"] as? [[String: Any]])
        let exported = try lines(out).map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(exported.map { $0["record_id"] as? String } == ["r-3", "r-5", "r-7"])
        #expect(exported.count == served.count)
        func sorted(_ object: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        for (one, other) in zip(exported, served) { #expect(try sorted(one) == sorted(other)) }
        #expect((exported.first?["user"] as? [String: Any])?["name"] as? String == #"J. "Jan", Jansen"#)

        // The export is in the log as a read by the operator who ran it, about that patient.
        let reads = try await runCurlLike("GET", server.baseURL + "/audit/events?event_code=audit-log-read&user_id=operator:auditor-anna")
        let readPage = try #require(try JSONSerialization.jsonObject(with: Data(reads.body.utf8)) as? [String: Any])
        let read = try #require((readPage["records"] as? [[String: Any]])?.first)
        #expect((read["query"] as? String)?.hasPrefix("export format=ndjson&from=2026-11-02") == true, "\(read)")
        #expect((read["subject"] as? [String: Any])?["id"] as? String == "999911120")

        // The server wrote on after the command appended to its log: the chain is still whole.
        let after = try await runCurlLike("POST", server.baseURL + "/audit/access", body: Self.record(11, subject: "999911120"))
        #expect(after.status == 201, "\(after.body)")
        #expect(await server.stop() == 0)
        let verify = try await runCLI(["verify", "--data-dir", directory])
        #expect(verify.status == 0, "\(verify.output)")
    }

    @Test func aCSVExportParsesWithPythonsCSVModuleWithEveryValueIntact() async throws {
        let (server, directory) = try await serverWithAccesses()
        defer { _ = server.stop() }
        let out = directory + "/all.csv"
        let export = try await runCLI(["audit", "export", "--data-dir", directory, "--format", "csv", "--subject", "123456782", "--out", out])
        #expect(export.status == 0, "\(export.output)")
        let script =
            "import csv, json, sys\nprint(json.dumps(list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))))"
        let (executable, prefix) = PythonClientTests.python
        let parsed = try await runToCompletion(executable, prefix + ["-c", script, out])
        #expect(parsed.status == 0, "\(parsed.output)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(parsed.output.utf8)) as? [[String: String]])
        #expect(rows.map { $0["record_id"] } == ["r-2", "r-4", "r-6", "r-8", "r-10"])
        #expect(rows.allSatisfy { $0["data"] == #"lab, "HbA1c""# && $0["user_name"] == #"J. "Jan", Jansen"# })
        #expect(rows.allSatisfy { $0["subject_id_type"] == "urn:oid:2.16.840.1.113883.2.4.6.3" && $0["action"] == "R" })
        #expect(rows.first?["occurred_at"] == "2026-11-02T10:00:00.000Z")
    }

    @Test func aFHIRExportIsOneBundleThatValidatesWithFHIRResources() async throws {
        let (server, directory) = try await serverWithAccesses()
        defer { _ = server.stop() }
        let out = directory + "/trail.json"
        let export = try await runCLI([
            "audit", "export", "--data-dir", directory, "--format", "fhir", "--out", out, "--base-url", "https://ledger.example",
        ])
        #expect(export.status == 0, "\(export.output)")
        let bundle = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(bundle["type"] as? String == "collection")
        let entries = try #require(bundle["entry"] as? [[String: Any]])
        // The ten accesses and the ledger's own events (the admin credential, the checkpoint key).
        #expect(entries.count >= 12, "\(entries.count)")
        #expect(entries.allSatisfy { ($0["fullUrl"] as? String)?.hasPrefix("https://ledger.example/fhir/AuditEvent/") == true })

        let script = PythonClientTests.packageRoot.appendingPathComponent("Tests/python/validate_fhir.py").path
        let (executable, prefix) = PythonClientTests.python
        let validated = try await runToCompletion(executable, prefix + [script, out])
        #expect(validated.status == 0, "\(validated.output)")

        // An export that matches nothing is still a valid Bundle (no empty `entry`).
        let empty = directory + "/none.json"
        let none = try await runCLI(["audit", "export", "--data-dir", directory, "--format", "fhir", "--subject", "000000000", "--out", empty])
        #expect(none.status == 0, "\(none.output)")
        let emptyCheck = try await runToCompletion(executable, prefix + [script, empty])
        #expect(emptyCheck.status == 0, "\(emptyCheck.output)")
    }

    @Test(arguments: [
        (["--format", "xml"], "--format must be one of fhir, ndjson, csv"),
        (["--format", "csv", "--from", "yesterday"], "--from yesterday is not an RFC 3339 time"),
        (["--format", "csv", "--from", "2026-11-05", "--until", "2026-11-01"], "--from is after --until"),
        (["--format", "csv", "--subject", "urn:oid:1|"], "has no id after |"),
    ])
    func badFlagsAreRefusedBeforeAnythingIsWritten(flags: [String], message: String) async throws {
        let (server, directory) = try await serverWithAccesses()
        defer { _ = server.stop() }
        let out = directory + "/out"
        let export = try await runCLI(["audit", "export", "--data-dir", directory, "--out", out] + flags)
        #expect(export.status != 0)
        #expect(export.output.contains(message), "\(export.output)")
        #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: out + ".partial"))
    }

    @Test func anExportNeverOverwritesAFile() async throws {
        let (server, directory) = try await serverWithAccesses()
        defer { _ = server.stop() }
        let out = directory + "/kept.csv"
        try "keep me".write(toFile: out, atomically: true, encoding: .utf8)
        let export = try await runCLI(["audit", "export", "--data-dir", directory, "--format", "csv", "--out", out])
        #expect(export.status != 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep me")
    }

    @Test func aBackupTakenWhileTheServerRunsVerifiesAndHoldsItsOwnRecord() async throws {
        let (server, directory) = try await serverWithAccesses()
        defer { _ = server.stop() }
        let out = directory + "/backup-1.sqlite"
        let backup = try await runCLI(["backup", "--data-dir", directory, "--out", out, "--operator", "backup-job"])
        #expect(backup.status == 0, "\(backup.output)")
        #expect(FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: out + ".partial"))

        let verify = try await runCLI(["verify", "--database", out])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("hash chain intact"), "\(verify.output)")

        // The copy holds the ten accesses and the record of the backup itself.
        let exported = directory + "/from-backup.ndjson"
        let export = try await runCLI(["audit", "export", "--database", out, "--format", "ndjson", "--out", exported])
        #expect(export.status == 0, "\(export.output)")
        let records = try lines(exported).compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(records.filter { ($0["record_id"] as? String)?.hasPrefix("r-") == true }.count == 10)
        #expect(records.contains { ($0["user"] as? [String: Any])?["id"] as? String == "operator:backup-job" && ($0["query"] as? String)?.hasPrefix("backup") == true })

        // A second backup to the same file is refused; the first is untouched.
        let size = try FileManager.default.attributesOfItem(atPath: out)[.size] as? Int
        let again = try await runCLI(["backup", "--data-dir", directory, "--out", out])
        #expect(again.status != 0)
        #expect(again.output.contains("exists already"), "\(again.output)")
        #expect(try FileManager.default.attributesOfItem(atPath: out)[.size] as? Int == size)
    }
}
