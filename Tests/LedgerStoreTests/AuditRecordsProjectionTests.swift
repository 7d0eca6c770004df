import Foundation
import LedgerCore
import Testing

@testable import LedgerStore

/// The projection copies a reported record's JSON out of its event's data instead of encoding it
/// again: the copy must be byte for byte what encoding the record gives, whatever its text holds.
@Suite struct AuditRecordsProjectionTests {
    static func record(_ data: String) throws -> AuditRecord {
        let json: [String: Any] = [
            "record_id": "r-1", "event": ["code": "110110", "system": "http://dicom.nema.org/resources/ontology/DCM"],
            "action": "R", "occurred_at": "2026-11-30T10:00:00.000Z", "user": ["id": "uzi:1", "role": "01.015", "name": "J. \"Jan\""],
            "subject": ["id_type": "urn:oid:2.16.840.1.113883.2.4.6.3", "id": "999911120"],
            "authorization_protocol": "consent:abc", "outcome": "success", "emergency": true, "data": data,
        ]
        return try JSONDecoder().decode(AuditRecord.self, from: try JSONSerialization.data(withJSONObject: json))
    }

    @Test(arguments: [
        "lab results", #"},"reported_at_ms":1}"#, #""record":{"#, "{}", "ü → ✓", #"\"},\"reported_at_ms\":"#,
    ])
    func theRecordCopiedFromItsReportIsItsCanonicalEncoding(data: String) throws {
        let record = try Self.record(data)
        let report = AccessReported(id: "01a22c55-1b32-71a6-9105-95b563df33d5", sourceId: "client:x", record: record, reportedAtMs: 1)
        let copied = try #require(AuditRecordsProjection.recordJSON(inReport: try CanonicalJSON.encode(report)))
        #expect(copied == String(decoding: try CanonicalJSON.encode(record), as: UTF8.self))
    }

    @Test func dataOfAnotherShapeIsNotCopied() {
        #expect(AuditRecordsProjection.recordJSON(inReport: Data(#"{"id":"x"}"#.utf8)) == nil)
    }
}
