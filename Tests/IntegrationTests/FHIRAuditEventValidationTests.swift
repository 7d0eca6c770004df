import Foundation
import Testing

/// The FHIR R4 AuditEvents the real binary serves, validated by a FHIR model library from PyPI
/// (`fhir.resources`, run by Tests/python/validate_fhir.py): reported accesses and the ledger's own
/// decisions, every page of a searchset Bundle followed by its `next` link.
@Suite struct FHIRAuditEventValidationTests {
    static func record(_ n: Int, emergency: Bool) -> String {
        #"""
        {"record_id": "r-\#(n)", "event": {"code": "110110", "system": "http://dicom.nema.org/resources/ontology/DCM", "display": "Patient Record"}, "action": "R", "occurred_at": "2026-11-30T10:0\#(n):00Z", "user": {"id": "uzi:123456", "role": "01.015", "name": "J. Jansen"}, "responsible_user": {"id": "uzi:654321", "role": "01.010"}, "subject": {"id_type": "urn:oid:2.16.840.1.113883.2.4.6.3", "id": "999911120"}, "authorization_protocol": "consent:abc", "access_point": {"type": "ip", "id": "10.0.0.5"}, "outcome": "success", "emergency": \#(emergency), "purpose": "treatment", "data": "lab results", "request_id": "req-\#(n)", "organization": {"id": "did:nuts:care", "name": "CareBears"}}
        """#
    }

    @Test func everyServedAuditEventAndEveryPageOfTheBundleValidatesWithFHIRResources() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let reservedPort = try ReservedLoopbackPort()
        let base = "http://127.0.0.1:\(reservedPort.port)"
        let server = try await ServerProcess(
            dataDirectory: directory + "/data", reservedPort: reservedPort, extraEnvironment: ["GRANTLEDGER_ISSUER": base])
        let batch = "{\"records\": [" + (1...5).map { Self.record($0, emergency: $0 == 3) }.joined(separator: ",") + "]}"
        let reported = try await runCurlLike("POST", base + "/audit/access", body: batch)
        #expect(reported.status == 201, "\(reported.body)")

        let script = PythonClientTests.packageRoot.appendingPathComponent("Tests/python/validate_fhir.py").path
        let (executable, prefix) = PythonClientTests.python
        func validate(_ json: String, _ name: String) async throws {
            let file = directory + "/\(name).json"
            try json.write(toFile: file, atomically: true, encoding: .utf8)
            let (status, output) = try await runToCompletion(executable, prefix + [script, file])
            #expect(status == 0, "\(name): \(output)")
        }

        // The patient's searchset, two to a page, followed to the end.
        var next: String? = base + "/fhir/AuditEvent?patient=urn:oid:2.16.840.1.113883.2.4.6.3%7C999911120&_count=2"
        var seen: [String] = []
        var pages = 0
        while let url = next, pages < 10 {
            let page = try await runCurlLike("GET", url)
            #expect(page.status == 200, "\(page.body)")
            try await validate(page.body, "page-\(pages)")
            let bundle = try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any] ?? [:]
            #expect(bundle["resourceType"] as? String == "Bundle" && bundle["type"] as? String == "searchset")
            for entry in bundle["entry"] as? [[String: Any]] ?? [] {
                seen.append((entry["resource"] as? [String: Any])?["id"] as? String ?? "")
            }
            let links = bundle["link"] as? [[String: Any]] ?? []
            next = links.first { $0["relation"] as? String == "next" }?["url"] as? String
            pages += 1
        }
        // Five reported accesses; the searches themselves are recorded reads of this subject too.
        #expect(seen.count >= 5 && Set(seen).count == seen.count, "\(seen)")
        #expect(pages >= 3)

        // The ledger's own decisions (the admin credential, the reads above) as AuditEvents.
        let own = try await runCurlLike("GET", base + "/fhir/AuditEvent?_count=50")
        try await validate(own.body, "own")
        let one = try await runCurlLike("GET", base + "/fhir/AuditEvent/\(seen[0])")
        #expect(one.status == 200)
        try await validate(one.body, "one")
        #expect(await server.stop() == 0)
    }
}
