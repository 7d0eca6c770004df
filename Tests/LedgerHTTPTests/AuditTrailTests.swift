import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerApp
import LedgerCore
import LedgerHTTP
import LedgerStore
import NIOCore
import Testing

/// The audit surface over the real router: reports, queries, and every read in the log.
@Suite struct AuditTrailTests {
    static func record(_ recordId: String, subject: String = "999911120", user: String = "uzi:123456",
        emergency: Bool = false) -> [String: Any] {
        [
            "record_id": recordId, "event": ["code": "110110", "system": "http://dicom.nema.org/resources/ontology/DCM"],
            "action": "R", "occurred_at": "2026-11-30T10:00:00Z", "user": ["id": user, "role": "01.015"],
            "responsible_user": ["id": "uzi:654321", "role": "01.010"],
            "subject": ["id_type": "urn:oid:2.16.840.1.113883.2.4.6.3", "id": subject],
            "authorization_protocol": "consent:abc", "emergency": emergency, "data": "lab results",
        ]
    }

    static func post(_ client: some TestClientProtocol, _ body: Any, token: String = TestServer.adminToken)
        async throws -> TestResponse
    {
        try await client.execute(
            uri: "/audit/access", method: .post, headers: TestServer.headers(token: token),
            body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
    }

    static func events(_ client: some TestClientProtocol, _ query: String, token: String = TestServer.adminToken)
        async throws -> TestResponse
    {
        try await client.execute(uri: "/audit/events?\(query)", method: .get, headers: TestServer.headers(token: token))
    }

    static func reportedCount(_ server: TestServer) throws -> Int {
        try server.ledger.events(afterSeq: 0, limit: 10_000).filter { $0.type == "AccessReported" }.count
    }

    @Test func aReportedBatchIsWrittenWholeAndARetryWritesNothing() async throws {
        let server = try TestServer()
        try await server.run { client in
            let batch = ["records": [Self.record("r-1"), Self.record("r-2")]]
            let first = try await Self.post(client, batch)
            #expect(first.status == .created, "\(String(buffer: first.body))")
            let ids = try #require(first.json["ids"] as? [String])
            #expect(ids.count == 2)
            let retry = try await Self.post(client, batch)
            #expect(retry.json["ids"] as? [String] == ids)
            #expect(try Self.reportedCount(server) == 2)
        }
    }

    /// Found by schemathesis: a batch of 1,000 records answered 500.
    @Test func aFullBatchOfAThousandRecordsIsWrittenInOneGo() async throws {
        let server = try TestServer(settings: HTTPSettings(bodyBytesMax: 4096, pageSizeMax: 50))
        try await server.run { client in
            let answer = try await Self.post(client, ["records": (1...1000).map { Self.record("r-\($0)") }])
            #expect(answer.status == .created, "\(String(buffer: answer.body))")
            #expect((answer.json["ids"] as? [String])?.count == 1000)
            #expect(try Self.reportedCount(server) == 1000)
            let tooMany = try await Self.post(client, ["records": (1...1001).map { Self.record("s-\($0)") }])
            #expect(tooMany.status == .badRequest)
        }
    }

    @Test func aBatchWithOneBadRecordWritesNothingAndNamesTheField() async throws {
        let server = try TestServer()
        try await server.run { client in
            var bad = Self.record("r-2")
            bad["user"] = ["id": "uzi:1"]
            let answer = try await Self.post(client, ["records": [Self.record("r-1"), bad]])
            #expect(answer.status == .badRequest)
            #expect((answer.json["message"] as? String)?.hasPrefix("records[1].user.role") == true)
            #expect(try Self.reportedCount(server) == 0)
        }
    }

    @Test func aQueryFindsTheSubjectsRecordsAndIsItselfInTheLog() async throws {
        let server = try TestServer()
        try await server.run { client in
            _ = try await Self.post(client, ["records": [Self.record("r-1"), Self.record("r-2", subject: "123456782")]])
            let page = try await Self.events(client, "subject_id=999911120")
            #expect(page.status == .ok)
            let records = try #require(page.json["records"] as? [[String: Any]])
            #expect(records.count == 1)
            #expect((records.first?["subject"] as? [String: Any])?["id"] as? String == "999911120")
            #expect((records.first?["source"] as? [String: Any])?["id"] as? String == "admin")
            #expect(records.first?["id"] is String && records.first?["seq"] is Int && records.first?["recorded_at"] is String)
            let reads = try await Self.events(client, "event_code=audit-log-read")
            let logged = try #require(reads.json["records"] as? [[String: Any]])
            #expect(logged.count == 1)
            #expect((logged.first?["subject"] as? [String: Any])?["id"] as? String == "999911120")
            #expect(logged.first?["action"] as? String == "R")
        }
    }

    @Test func pagesFollowTheCursorWithoutRepeatsOrGaps() async throws {
        let server = try TestServer()
        try await server.run { client in
            _ = try await Self.post(client, ["records": (1...7).map { Self.record("r-\($0)") }])
            var seen: [String] = []
            var cursor: String?
            repeat {
                let query = "subject_id=999911120&limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await Self.events(client, query)
                seen += (page.json["records"] as? [[String: Any]] ?? []).compactMap { $0["record_id"] as? String }
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == (1...7).map { "r-\($0)" })
            let bad = try await Self.events(client, "cursor=nonsense")
            #expect(bad.status == .badRequest)
        }
    }

    /// Found by schemathesis: `GET /fhir/AuditEvent?patient=` was answered 200 and recorded its
    /// read with an empty subject id (a 2,000-byte one likewise), which `GET /audit/events` then
    /// served against its own schema (an id of 1 to 1,024 characters) and FHIR forbids (no empty
    /// strings). A search names a patient or agent of 1 to 256 bytes, as `/audit/events` does.
    @Test(arguments: [
        "patient=", "patient=%7C", "patient=" + String(repeating: "9", count: 257),
        "patient=" + String(repeating: "s", count: 257) + "%7C999911120", "patient=%0A", "patient=BSN%7C9999%01",
        "agent=", "agent=uzi%7C", "agent=" + String(repeating: "u", count: 257), "agent=uzi%7C%7F",
    ])
    func aFHIRSearchForAnEmptyOverlongOrControlPatientOrAgentIsRefusedAndRecordsNothing(query: String) async throws {
        let server = try TestServer()
        try await server.run { client in
            let before = try server.ledger.events(afterSeq: 0, limit: 10_000).count
            let answer = try await client.execute(
                uri: "/fhir/AuditEvent?\(query)", method: .get, headers: TestServer.headers())
            #expect(answer.status == .badRequest, "\(String(buffer: answer.body))")
            #expect(answer.json["resourceType"] as? String == "OperationOutcome")
            #expect(try server.ledger.events(afterSeq: 0, limit: 10_000).count == before)
        }
    }

    /// What a FHIR token search still takes: the longest value, a value with an empty system, and
    /// `system|` alone (any value in that system, recorded without a subject).
    @Test func aFHIRSearchTakesTheLongestValueAnEmptySystemAndASystemAlone() async throws {
        let server = try TestServer()
        try await server.run { client in
            _ = try await Self.post(client, ["records": [Self.record("r-1"), Self.record("r-2", subject: "123456782")]])
            func entries(_ query: String) async throws -> [[String: Any]] {
                let answer = try await client.execute(
                    uri: "/fhir/AuditEvent?\(query)", method: .get, headers: TestServer.headers())
                #expect(answer.status == .ok, "\(query): \(String(buffer: answer.body))")
                return answer.json["entry"] as? [[String: Any]] ?? []
            }
            #expect(try await entries("patient=" + String(repeating: "9", count: 256)).isEmpty)
            #expect(try await entries("patient=%7C999911120").count == 1)
            #expect(try await entries("patient=urn:oid:2.16.840.1.113883.2.4.6.3%7C").count == 2)
            #expect(try await entries("patient=urn:other%7C").isEmpty)
            let reads = try await Self.events(client, "event_code=audit-log-read&limit=10")
            let systemAlone = (reads.json["records"] as? [[String: Any]] ?? []).filter {
                ($0["query"] as? String)?.hasSuffix("2.4.6.3%7C") == true
            }
            #expect(systemAlone.count == 1)
            // No patient named: the read is about the log itself, as any read without a subject.
            #expect((systemAlone.first?["subject"] as? [String: Any])?["id"] as? String == "audit-reads")
        }
    }

    /// An AuditEvent shows a BSN of id type `BSN` (any case) under the Dutch naming system, so a
    /// FHIR client searching back with that system must find it; the id type itself still finds
    /// only its own records.
    @Test func aFHIRSearchByTheBSNNamingSystemFindsRecordsOfIdTypeBSNInAnyCase() async throws {
        let server = try TestServer()
        try await server.run { client in
            func reported(_ recordId: String, idType: String) -> [String: Any] {
                var record = Self.record(recordId)
                record["subject"] = ["id_type": idType, "id": "999911120"]
                return record
            }
            _ = try await Self.post(
                client,
                ["records": [reported("r-1", idType: "BSN"), reported("r-2", idType: "bsn"), Self.record("r-3")]])
            /// The reported records found: each search is itself recorded, with its patient.
            func entries(_ query: String) async throws -> [[String: Any]] {
                let answer = try await client.execute(
                    uri: "/fhir/AuditEvent?\(query)&_count=100", method: .get, headers: TestServer.headers())
                #expect(answer.status == .ok, "\(query): \(String(buffer: answer.body))")
                return (answer.json["entry"] as? [[String: Any]] ?? []).filter {
                    (($0["resource"] as? [String: Any])?["type"] as? [String: Any])?["code"] as? String == "110110"
                }
            }
            let bsn = try await entries("patient=BSN%7C999911120")
            #expect(bsn.count == 1)
            // The system the entry shows, searched for as a client would.
            let resource = try #require(bsn.first?["resource"] as? [String: Any])
            let entity = try #require((resource["entity"] as? [[String: Any]])?.first)
            let system = try #require(((entity["what"] as? [String: Any])?["identifier"] as? [String: Any])?["system"] as? String)
            #expect(system == "http://fhir.nl/fhir/NamingSystem/bsn")
            let encoded = try #require(system.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            #expect(try await entries("patient=\(encoded)%7C999911120").count == 2)
            #expect(try await entries("patient=\(encoded)%7C").count == 2)
            #expect(try await entries("patient=999911120").count == 3)
        }
    }

    /// A read of a record that holds a subject no report could (an earlier build recorded
    /// `patient=` with an empty id) is recorded as a read of the log, not with a copy of it.
    @Test func readingARecordWithAnEmptySubjectRecordsTheReadWithoutIt() async throws {
        let server = try TestServer()
        try await server.run { client in
            try await server.ledger.recordAuditRead(
                AuditLogRead(query: "fhir:patient=", subject: AuditRecord.Subject(idType: "any", id: ""), count: 0,
                    readAtMs: server.ledger.nowMs),
                WriteContext(
                    EventMetadata(
                        actor: .init(id: "admin", role: "admin"), action: .read,
                        source: .init(serviceId: "tests", ip: "127.0.0.1"), requestId: "req-1")))
            let bad = try #require(
                (try await Self.events(client, "event_code=audit-log-read").json["records"] as? [[String: Any]])?.first)
            let id = try #require(bad["id"] as? String)
            let read = try await client.execute(uri: "/fhir/AuditEvent/\(id)", method: .get, headers: TestServer.headers())
            #expect(read.status == .ok)
            let records = try await Self.events(client, "event_code=audit-log-read&limit=10")
            let ofTheRead = (records.json["records"] as? [[String: Any]] ?? []).filter { $0["query"] as? String == "id=\(id)" }
            #expect(ofTheRead.count == 1)
            #expect((ofTheRead.first?["subject"] as? [String: Any])?["id"] as? String == "audit-reads")
        }
    }

    /// The trail refuses such a filter itself, whichever surface built it.
    @Test(arguments: [
        AuditFilter(subjectId: ""), AuditFilter(subjectId: "999911120", subjectIdType: ""),
        AuditFilter(subjectId: String(repeating: "9", count: 257)), AuditFilter(userId: ""),
        AuditFilter(eventCode: String(repeating: "c", count: 257)), AuditFilter(subjectId: "9999\n"),
        AuditFilter(userId: "uzi\u{7F}"), AuditFilter(subjectId: "1", subjectIdType: "BSN\u{85}"),
    ])
    func theTrailRefusesAFilterWithAnEmptyOverlongOrControlText(filter: AuditFilter) throws {
        #expect(throws: ValidationError.self) { try AuditTrail.check(filter) }
        var fine = filter
        fine.subjectId = filter.subjectId.map { _ in "999911120" }
        fine.subjectIdType = filter.subjectIdType.map { _ in "BSN" }
        fine.userId = filter.userId.map { _ in "uzi:1" }
        fine.eventCode = filter.eventCode.map { _ in "110110" }
        try AuditTrail.check(fine)
    }

    /// The trail's check reaches `/audit/events` too: a control character in a filter is refused
    /// in the admin API's shape, and nothing is recorded.
    @Test func aQueryWithAControlCharacterIsRefusedAndRecordsNothing() async throws {
        let server = try TestServer()
        try await server.run { client in
            let before = try server.ledger.events(afterSeq: 0, limit: 10_000).count
            let control = try await Self.events(client, "subject_id=9999%01")
            #expect(control.status == .badRequest)
            #expect(control.json["code"] is String && control.json["message"] is String)
            #expect(try server.ledger.events(afterSeq: 0, limit: 10_000).count == before)
        }
    }

    @Test func theLedgersOwnDecisionsAreRecordsWithActorOnBehalfOfAndSubject() async throws {
        let server = try TestServer()
        try await server.run { client in
            let app = try await server.registerClient(client)
            _ = try await server.grant(client, app)
            let page = try await Self.events(client, "user_id=alice&event_code=AuthorizationCodeIssued")
            let records = try #require(page.json["records"] as? [[String: Any]])
            #expect(records.count == 1)
            #expect((records.first?["user"] as? [String: Any])?["id"] as? String == "user:alice")
            #expect((records.first?["responsible_user"] as? [String: Any])?["id"] as? String == "alice")
            #expect((records.first?["subject"] as? [String: Any])?["id"] as? String == "alice")
            #expect(records.first?["action"] as? String == "C")
            #expect(records.first?["outcome"] as? String == "success")
        }
    }

    @Test func aBreakGlassAccessIsFlaggedInTheSubjectsOverview() async throws {
        let server = try TestServer()
        try await server.run { client in
            _ = try await Self.post(client, Self.record("r-1", emergency: true))
            let overview = try await client.execute(
                uri: "/audit/subjects/urn:oid:2.16.840.1.113883.2.4.6.3/999911120/accesses?emergency=true",
                method: .get, headers: TestServer.headers())
            #expect(overview.status == .ok, "\(String(buffer: overview.body))")
            let records = try #require(overview.json["records"] as? [[String: Any]])
            #expect(records.count == 1 && records.first?["emergency"] as? Bool == true)
        }
    }

    @Test func writingNeedsAuditWriteAndReadingAuditRead() async throws {
        let server = try TestServer()
        try await server.run { client in
            let writer = try await server.registerClient(client, scopes: ["audit:write"])
            let token = try #require(
                try await server.tokenRequest(client, writer, ["grant_type": "client_credentials"]).json["access_token"]
                    as? String)
            let written = try await Self.post(client, Self.record("r-1"), token: token)
            #expect(written.status == .created)
            let read = try await Self.events(client, "", token: token)
            #expect(read.status == .forbidden)
            let anonymous = try await client.execute(uri: "/audit/events", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let page = try await Self.events(client, "subject_id=999911120")
            let source = (page.json["records"] as? [[String: Any]])?.first?["source"] as? [String: Any]
            #expect(source?["id"] as? String == writer.id)
        }
    }

    @Test func aPatientReadsTheirOwnOverviewWithTheirUserTokenAndNoOneElses() async throws {
        var configured = try TestServer()
        configured.audit = AuditSettings(subjectClaim: "bsn")
        let server = configured
        try await server.run { client in
            _ = try await Self.post(client, ["records": [Self.record("r-1"), Self.record("r-2", subject: "123456782")]])
            let own = try await server.userToken("patient-1", bsn: "999911120")
            func overview(_ idType: String, _ id: String, token: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/audit/subjects/\(idType)/\(id)/accesses", method: .get, headers: TestServer.headers(token: token))
            }
            let bsn = "urn:oid:2.16.840.1.113883.2.4.6.3"
            let mine = try await overview(bsn, "999911120", token: own)
            #expect(mine.status == .ok, "\(String(buffer: mine.body))")
            let records = try #require(mine.json["records"] as? [[String: Any]])
            #expect(records.compactMap { $0["record_id"] as? String } == ["r-1"])

            // Someone else's overview, and the trail at large, stay closed to a user token.
            #expect(try await overview(bsn, "123456782", token: own).status == .forbidden)
            #expect(try await Self.events(client, "subject_id=999911120", token: own).status == .unauthorized)
            // The user's records as a user of the ledger are theirs too, by `sub`.
            #expect(try await overview("user", "patient-1", token: own).status == .ok)
            #expect(try await overview("user", "patient-2", token: own).status == .forbidden)
            // A token without the claim, an expired one, or one the operator did not sign: no.
            let noClaim = try await server.userToken("patient-1")
            #expect(try await overview(bsn, "999911120", token: noClaim).status == .forbidden)
            let expired = try await server.userToken("patient-1", bsn: "999911120", expiresIn: -60)
            #expect(try await overview(bsn, "999911120", token: expired).status == .unauthorized)

            // The patient's read is in the log, as theirs.
            let reads = try await Self.events(client, "event_code=audit-log-read&user_id=user:patient-1")
            let read = try #require((reads.json["records"] as? [[String: Any]])?.first)
            #expect((read["subject"] as? [String: Any])?["id"] as? String == "999911120")
            #expect((read["user"] as? [String: Any])?["role"] as? String == "user")
        }
    }

    @Test func withoutAConfiguredClaimAUserTokenReadsOnlyTheUsersOwnLedgerRecords() async throws {
        let server = try TestServer()
        try await server.run { client in
            _ = try await Self.post(client, Self.record("r-1"))
            let token = try await server.userToken("patient-1", bsn: "999911120")
            let bsn = try await client.execute(
                uri: "/audit/subjects/urn:oid:2.16.840.1.113883.2.4.6.3/999911120/accesses", method: .get,
                headers: TestServer.headers(token: token))
            #expect(bsn.status == .forbidden)
            let user = try await client.execute(
                uri: "/audit/subjects/user/patient-1/accesses", method: .get, headers: TestServer.headers(token: token))
            #expect(user.status == .ok)
        }
    }
}
