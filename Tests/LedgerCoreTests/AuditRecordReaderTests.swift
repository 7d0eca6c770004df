import Foundation
import LedgerCore
import Testing

/// NEN 7513's mandatory fields: each one missing or malformed is refused by its path, in the
/// order the standard lists them.
@Suite struct AuditRecordReaderTests {
    /// A mapped record's time is its event's, formatted; the projection stores the event's
    /// milliseconds as they are instead of parsing the text back, which must give the same.
    @Test(arguments: [
        Int64(0), 1, 999, 1_000, 1_700_000_000_123, 1_764_547_200_000, 4_102_444_799_999, 253_402_300_799_999,
    ])
    func aFormattedTimeParsesBackToItsMilliseconds(ms: Int64) {
        #expect(AuditRecordReader.milliseconds(AuditRecordReader.format(ms)) == ms)
    }

    static let full = #"""
        {"record_id": "r-1", "event": {"code": "110110", "system": "http://dicom.nema.org/resources/ontology/DCM", "display": "Patient Record"}, "action": "R", "occurred_at": "2026-11-30T10:00:00Z", "user": {"id": "uzi:123456", "role": "01.015", "name": "J. Jansen"}, "responsible_user": {"id": "uzi:654321", "role": "01.010"}, "subject": {"id_type": "urn:oid:2.16.840.1.113883.2.4.6.3", "id": "999911120"}, "authorization_protocol": "consent:abc", "access_point": {"type": "ip", "id": "10.0.0.5"}, "outcome": "success", "emergency": false, "purpose": "treatment", "data": "lab results", "query": null, "request_id": "req-1", "trace_id": "00-abc-def-01"}
        """#

    static func json(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    /// The full record with one member changed to a JSON fragment (nil removes it); `path` like `user.role`.
    static func variant(_ path: String, _ fragment: String?) throws -> JSONValue {
        let value: Any? = try fragment.map { try JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed) }
        var object = try JSONSerialization.jsonObject(with: Data(full.utf8)) as! [String: Any]
        let parts = path.split(separator: ".").map(String.init)
        if parts.count == 1 {
            object[parts[0]] = value
        } else {
            var inner = object[parts[0]] as? [String: Any] ?? [:]
            inner[parts[1]] = value
            object[parts[0]] = inner
        }
        return try json(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    @Test func aFullRecordReadsBackAsReported() throws {
        let record = try AuditRecordReader.read(try Self.json(Self.full))
        #expect(record.user == AuditRecord.Person(id: "uzi:123456", role: "01.015", name: "J. Jansen"))
        #expect(record.subject == AuditRecord.Subject(idType: "urn:oid:2.16.840.1.113883.2.4.6.3", id: "999911120"))
        #expect(record.action == .read && record.emergency == false && record.query == nil)
        #expect(record.occurredAt == "2026-11-30T10:00:00.000Z")
        #expect(record.occurredAtMs == 1_796_032_800_000)
    }

    @Test(arguments: [
        ("event", nil, "event"), ("event.code", nil, "event.code"), ("event.code", #""""#, "event.code"),
        ("action", nil, "action"), ("action", #""X""#, "action"), ("occurred_at", nil, "occurred_at"),
        ("occurred_at", #""yesterday""#, "occurred_at"), ("user", nil, "user"), ("user.id", nil, "user.id"),
        ("user.role", nil, "user.role"), ("subject", nil, "subject"), ("subject.id_type", nil, "subject.id_type"),
        ("subject.id", nil, "subject.id"), ("authorization_protocol", nil, "authorization_protocol"),
        ("responsible_user.role", nil, "responsible_user.role"), ("responsible_user.id", nil, "responsible_user.id"),
        ("emergency", #""yes""#, "emergency"), ("emergency", "1", "emergency"), ("outcome", #""maybe""#, "outcome"),
        ("user.id", "42", "user.id"),
    ] as [(String, String?, String)])
    func eachMandatoryFieldMissingOrMalformedIsNamed(path: String, fragment: String?, named: String) throws {
        let record = try Self.variant(path, fragment)
        #expect(throws: ValidationError.self) { try AuditRecordReader.read(record) }
        do {
            _ = try AuditRecordReader.read(record)
        } catch {
            #expect(error.field == named)
        }
    }

    @Test func theFirstMissingFieldIsNamedInTheStandardsOrder() throws {
        #expect(throws: ValidationError(field: "event", reason: "is required")) {
            try AuditRecordReader.read(try Self.json("{}"))
        }
        #expect(throws: ValidationError(field: "records[2].user.role", reason: "is required")) {
            try AuditRecordReader.read(try Self.variant("user.role", nil), path: "records[2].")
        }
    }

    @Test func aRetriedRecordIdAnswersItsFirstIdAndWritesNothing() throws {
        let record = try AuditRecordReader.read(try Self.json(Self.full))
        let command = ReportAccesses(sourceId: "rs", records: [("id-1", record), ("id-2", record)])
        let first = AuditDecider.decide(command, known: [:], nowMs: 1)
        #expect(first.events.map(\.id) == ["id-1"])
        #expect(first.ids == ["id-1", "id-1"])
        let retry = AuditDecider.decide(
            ReportAccesses(sourceId: "rs", records: [("id-3", record)]), known: ["r-1": "id-1"], nowMs: 2)
        #expect(retry.events.isEmpty && retry.ids == ["id-1"])
    }
}
