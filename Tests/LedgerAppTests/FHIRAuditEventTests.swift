import Foundation
import LedgerApp
import LedgerCore
import Testing

/// NEN 7513 records as FHIR R4 AuditEvents and searchset Bundles (shared/specs/nen7513.md).
@Suite struct FHIRAuditEventTests {
    static let baseURL = "https://ledger.example"

    /// Records are built from their wire JSON, as a reporting client sends them.
    static func record(_ json: String) throws -> AuditRecord {
        try JSONDecoder().decode(AuditRecord.self, from: Data(json.utf8))
    }

    static let full = """
        {
          "record_id": "client-rec-7",
          "event": {"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "110110", "display": "Patient Record"},
          "action": "R",
          "occurred_at": "2026-11-30T10:00:00.250Z",
          "user": {"id": "urn:oid:2.16.528.1.1007.3.1|0123 ABC", "role": "05", "name": "Schroder, CP, Arts"},
          "responsible_user": {"id": "UZI-999", "role": "01", "name": "Dr. Verantwoordelijk"},
          "subject": {"id_type": "BSN", "id": "999911120"},
          "authorization_protocol": "https://rivo-noord.nl/zorgviewer/toestemming",
          "access_point": {"type": "ip", "id": "10.1.2.3"},
          "outcome": "failure",
          "outcome_reason": "consent missing",
          "emergency": true,
          "purpose": "treatment",
          "data": "medication overview",
          "query": "GET /Patient?identifier=999911120",
          "request_id": "req-1",
          "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
          "organization": {"id": "urn:oid:2.16.528.1.1007.3.3|12345678", "name": "Ziekenhuis Noord"},
          "site_id": "ward-3"
        }
        """

    static let minimal = """
        {
          "event": {"code": "connection.read"},
          "action": "E",
          "occurred_at": "2026-11-30T10:00:00.000Z",
          "user": {"id": "alice", "role": "admin"},
          "subject": {"id_type": "urn:grantledger:user", "id": "alice"},
          "authorization_protocol": "admin-credential"
        }
        """

    static func stored(_ record: AuditRecord, id: String = "0190f6a2-7c3b-7d4e-8f00-000000000001", sourceId: String)
        -> StoredAuditRecord
    {
        StoredAuditRecord(id: id, seq: 42, recordedAtMs: 1_795_248_000_123, sourceId: sourceId, record: record)
    }

    @Test func aFullRecordMapsEveryField() throws {
        let event = FHIRAuditEvent.resource(
            Self.stored(try Self.record(Self.full), sourceId: "zorgviewer"), baseURL: Self.baseURL)
        #expect(event["resourceType"] as? String == "AuditEvent")
        #expect(event["id"] as? String == "0190f6a2-7c3b-7d4e-8f00-000000000001")
        #expect((event["meta"] as? [String: Any])?["lastUpdated"] as? String == "2026-11-21T08:00:00.123Z")
        #expect(event["recorded"] as? String == "2026-11-21T08:00:00.123Z")
        let period = try #require(event["period"] as? [String: String])
        #expect(period == ["start": "2026-11-30T10:00:00.250Z", "end": "2026-11-30T10:00:00.250Z"])
        let type = try #require(event["type"] as? [String: String])
        #expect(
            type == ["system": "http://dicom.nema.org/resources/ontology/DCM", "code": "110110", "display": "Patient Record"])
        #expect(event["subtype"] as? [[String: String]] == [type])
        #expect(event["action"] as? String == "R")
        #expect(event["outcome"] as? String == "4")
        #expect(event["outcomeDesc"] as? String == "consent missing")

        let purposes = try #require(event["purposeOfEvent"] as? [[String: Any]])
        #expect(purposes.count == 2)
        #expect(purposes[0]["text"] as? String == "treatment")
        let emergency = try #require((purposes[1]["coding"] as? [[String: String]])?.first)
        #expect(emergency["system"] == "http://terminology.hl7.org/CodeSystem/v3-ActReason")
        #expect(emergency["code"] == "ETREAT")

        let agents = try #require(event["agent"] as? [[String: Any]])
        #expect(agents.count == 3)
        // The user, verbatim: no trimming, no splitting of a system|value-looking id.
        let user = agents[0]
        let userWho = try #require(user["who"] as? [String: Any])
        #expect((userWho["identifier"] as? [String: String]) == ["value": "urn:oid:2.16.528.1.1007.3.1|0123 ABC"])
        #expect(userWho["display"] as? String == "Schroder, CP, Arts")
        #expect(user["name"] as? String == "Schroder, CP, Arts")
        #expect(user["role"] as? [[String: [[String: String]]]] == [["coding": [["code": "05"]]]])
        #expect(user["requestor"] as? Bool == false)
        #expect(user["network"] as? [String: String] == ["address": "10.1.2.3", "type": "2"])
        #expect(user["policy"] as? [String] == ["https://rivo-noord.nl/zorgviewer/toestemming"])
        // The responsible user on whose behalf the user acted: the requestor.
        let responsible = agents[1]
        let responsibleWho = try #require(responsible["who"] as? [String: Any])
        #expect((responsibleWho["identifier"] as? [String: String]) == ["value": "UZI-999"])
        #expect(responsible["role"] as? [[String: [[String: String]]]] == [["coding": [["code": "01"]]]])
        #expect(responsible["requestor"] as? Bool == true)
        #expect(responsible["network"] == nil)
        // The organisation.
        let organization = agents[2]
        let organizationWho = try #require(organization["who"] as? [String: Any])
        #expect((organizationWho["identifier"] as? [String: String]) == ["value": "urn:oid:2.16.528.1.1007.3.3|12345678"])
        #expect(organizationWho["display"] as? String == "Ziekenhuis Noord")
        #expect(organization["requestor"] as? Bool == false)
        let organizationType = try #require(organization["type"] as? [String: Any])
        #expect((organizationType["coding"] as? [[String: String]])?.first?["code"] == "PROV")
        #expect(organizationType["text"] as? String == "organization")

        let source = try #require(event["source"] as? [String: Any])
        #expect(source["site"] as? String == "ward-3")
        #expect((source["observer"] as? [String: [String: String]]) == ["identifier": ["value": "zorgviewer"]])

        let entities = try #require(event["entity"] as? [[String: Any]])
        #expect(entities.count == 1)
        let entity = entities[0]
        #expect(
            (entity["what"] as? [String: [String: String]])
                == ["identifier": ["system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "999911120"]])
        #expect((entity["type"] as? [String: String])?["code"] == "1")
        #expect((entity["role"] as? [String: String])?["code"] == "1")
        #expect(entity["detail"] as? [[String: String]] == [["type": "data", "valueString": "medication overview"]])
        let query = try #require(entity["query"] as? String)
        #expect(Data(base64Encoded: query).map { String(decoding: $0, as: UTF8.self) } == "GET /Patient?identifier=999911120")

        let extensions = try #require(event["extension"] as? [[String: String]])
        #expect(
            extensions.contains([
                "url": "https://grantledger.dev/fhir/StructureDefinition/request-id", "valueString": "req-1",
            ]))
        #expect(
            extensions.contains([
                "url": "https://grantledger.dev/fhir/StructureDefinition/trace-id",
                "valueString": "4bf92f3577b34da6a3ce929d0e0e4736",
            ]))
        #expect(
            extensions.contains([
                "url": "https://grantledger.dev/fhir/StructureDefinition/record-id", "valueString": "client-rec-7",
            ]))
        #expect(Self.emptyElements(event).isEmpty)
        #expect(JSONSerialization.isValidJSONObject(event))
    }

    @Test func aMinimalRecordHasNoEmptyElements() throws {
        let event = FHIRAuditEvent.resource(
            Self.stored(try Self.record(Self.minimal), sourceId: "grantledger"), baseURL: Self.baseURL)
        #expect(Self.emptyElements(event) == [])
        #expect(JSONSerialization.isValidJSONObject(event))
        // Nothing optional appears; what R4 requires is there.
        for absent in ["outcomeDesc", "purposeOfEvent", "extension"] { #expect(event[absent] == nil, "\(absent)") }
        #expect(event["outcome"] as? String == "0")
        #expect(
            event["type"] as? [String: String]
                == ["system": "https://grantledger.dev/fhir/CodeSystem/event", "code": "connection.read"])
        #expect(event["subtype"] as? [[String: String]] == [["code": "connection.read"]])
        let agents = try #require(event["agent"] as? [[String: Any]])
        #expect(agents.count == 1)
        #expect(agents[0]["requestor"] as? Bool == true)
        #expect(agents[0]["network"] == nil)
        #expect(agents[0]["name"] == nil)
        #expect((agents[0]["who"] as? [String: [String: String]]) == ["identifier": ["value": "alice"]])
        let source = try #require(event["source"] as? [String: Any])
        #expect(source["site"] == nil)
        #expect((source["observer"] as? [String: [String: String]]) == ["identifier": ["value": "grantledger"]])
        let entity = try #require((event["entity"] as? [[String: Any]])?.first)
        #expect(entity["detail"] == nil)
        #expect(entity["query"] == nil)
        #expect(
            (entity["what"] as? [String: [String: String]])
                == ["identifier": ["system": "urn:grantledger:user", "value": "alice"]])
    }

    @Test func emptyOptionalTextIsLeftOut() throws {
        var record = try Self.record(Self.minimal)
        record.purpose = ""
        record.outcomeReason = ""
        record.data = ""
        record.query = ""
        record.requestId = ""
        record.user.name = ""
        record.emergency = false
        let event = FHIRAuditEvent.resource(Self.stored(record, sourceId: "grantledger"), baseURL: Self.baseURL)
        #expect(Self.emptyElements(event) == [])
        #expect(event["purposeOfEvent"] == nil)
    }

    /// Before a FHIR search refused an empty patient, its read was recorded with an empty subject
    /// id (a long schemathesis run made 175 of them), and ledgers keep those records. FHIR has no
    /// empty strings, so such a patient maps to an entity without `what`, and the resource (and
    /// any searchset holding it) stays valid.
    @Test func aRecordWithAnEmptySubjectIdMapsToAnEntityWithoutWhat() throws {
        var record = try Self.record(Self.minimal)
        record.subject = AuditRecord.Subject(idType: "any", id: "")
        let event = FHIRAuditEvent.resource(Self.stored(record, sourceId: "grantledger"), baseURL: Self.baseURL)
        #expect(Self.emptyElements(event) == [])
        let entity = try #require((event["entity"] as? [[String: Any]])?.first)
        #expect(entity["what"] == nil)
        #expect((entity["role"] as? [String: String])?["display"] == "Patient")
    }

    @Test func theBundleLinksAndEntries() throws {
        let records = [
            Self.stored(try Self.record(Self.full), id: "a-1", sourceId: "zorgviewer"),
            Self.stored(try Self.record(Self.minimal), id: "a-2", sourceId: "grantledger"),
        ]
        let selfURL = Self.baseURL + "/fhir/AuditEvent?patient=999911120&_count=2"
        let nextURL = Self.baseURL + "/fhir/AuditEvent?patient=999911120&_count=2&_cursor=a-2"
        let bundle = FHIRAuditEvent.bundle(
            records, baseURL: Self.baseURL + "/", selfURL: selfURL, nextURL: nextURL, total: 7)
        #expect(bundle["resourceType"] as? String == "Bundle")
        #expect(bundle["type"] as? String == "searchset")
        #expect(bundle["total"] as? Int == 7)
        #expect(
            bundle["link"] as? [[String: String]] == [
                ["relation": "self", "url": selfURL], ["relation": "next", "url": nextURL],
            ])
        let entries = try #require(bundle["entry"] as? [[String: Any]])
        #expect(entries.map { $0["fullUrl"] as? String } == [
            "https://ledger.example/fhir/AuditEvent/a-1", "https://ledger.example/fhir/AuditEvent/a-2",
        ])
        #expect(entries.map { ($0["resource"] as? [String: Any])?["id"] as? String } == ["a-1", "a-2"])
        #expect(entries.allSatisfy { $0["search"] as? [String: String] == ["mode": "match"] })
        #expect(Self.emptyElements(bundle) == [])
        #expect(JSONSerialization.isValidJSONObject(bundle))

        // The last page: no next link, no total when not counted, no entries means no `entry`.
        let last = FHIRAuditEvent.bundle([], baseURL: Self.baseURL, selfURL: selfURL, nextURL: nil, total: nil)
        #expect(last["link"] as? [[String: String]] == [["relation": "self", "url": selfURL]])
        #expect(last["total"] == nil)
        #expect(last["entry"] == nil)
        #expect(Self.emptyElements(last) == [])
    }

    @Test(arguments: [
        ("ip", "10.0.0.1", "2"), ("machine_name", "ws-12.intra", "1"), ("hostname", "ws-12.intra", "1"),
        ("2", "::1", "2"), ("unknown", "fe80::1", "2"), ("unknown", "ws-12.intra", nil),
    ] as [(String, String, String?)])
    func theAccessPointType(type: String, address: String, expected: String?) throws {
        var json = try JSONSerialization.jsonObject(with: Data(Self.minimal.utf8)) as! [String: Any]
        json["access_point"] = ["type": type, "id": address]
        let record = try JSONDecoder().decode(
            AuditRecord.self, from: try JSONSerialization.data(withJSONObject: json))
        let event = FHIRAuditEvent.resource(Self.stored(record, sourceId: "grantledger"), baseURL: Self.baseURL)
        let network = try #require((event["agent"] as? [[String: Any]])?.first?["network"] as? [String: String])
        #expect(network["address"] == address)
        #expect(network["type"] == expected)
    }

    /// The paths of every null, empty string, empty array or empty object in a JSON value.
    static func emptyElements(_ value: Any, path: String = "$") -> [String] {
        switch value {
        case is NSNull: return [path]
        case let string as String: return string.isEmpty ? [path] : []
        case let array as [Any]:
            if array.isEmpty { return [path] }
            return array.enumerated().flatMap { emptyElements($1, path: "\(path)[\($0)]") }
        case let object as [String: Any]:
            if object.isEmpty { return [path] }
            return object.keys.sorted().flatMap { emptyElements(object[$0]!, path: "\(path).\($0)") }
        default: return []
        }
    }
}
