import Foundation
import GRDB
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

    /// The table keeps no record text: each is worked out from its event as it is read, the
    /// ledger's own as mapped and a reported one byte for byte as reported.
    @Test func theTrailStoresNoTextAndReadsEachRecordFromItsEvent() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1", user: "u1"))
        let reported = try Self.record("lab results")
        let reportedId = "01a22c55-1b32-71a6-9105-95b563df33d5"
        _ = try await test.ledger.reportAccesses(
            ReportAccesses(sourceId: "client:his", records: [(reportedId, reported)]), WriteContext(TestLedger.metadata))

        let stored = try await test.ledger.database.read { db in
            try String.fetchAll(db, sql: "SELECT record FROM audit_records ORDER BY seq")
        }
        #expect(stored == [AuditRecordsProjection.derivedRecord, AuditRecordsProjection.derivedRecord])
        let rows = try test.ledger.auditRecords(AuditFilter(), afterSeq: 0, limit: 10)
        #expect(rows.map(\.seq) == [1, 2])
        let granted = try rows[0].record()
        #expect(granted.event.code == "ConnectionGranted" && granted.subject.id == "user-1" && granted.user.id == "admin")
        #expect(rows[1].id == reportedId && rows[1].sourceId == "client:his")
        #expect(rows[1].recordJSON == String(decoding: try CanonicalJSON.encode(reported), as: UTF8.self))
        #expect(try test.ledger.auditRecord(id: reportedId) == rows[1])
    }

    /// A long page is worked out on two threads: each record must still be its own, in order,
    /// the same as read alone, with rows that hold their text kept among them.
    @Test func aLongPageIsEachRecordInOrderAsReadAlone() async throws {
        let test = try TestLedger()
        let count = AuditRow.splitAtCount * 2 + 3
        for index in 1...count { try await test.submit(try test.grantCommand("c\(index)", user: "u\(index)")) }
        let held = #"{"held":"as stored"}"#
        try await test.ledger.database.write { db in
            try db.execute(sql: "UPDATE audit_records SET record = ? WHERE seq IN (2, ?)", arguments: [held, count - 1])
        }
        let page = try test.ledger.auditRecords(AuditFilter(), afterSeq: 0, limit: count)
        #expect(page.map(\.seq) == Array(1...Int64(count)))
        for row in page {
            #expect(try test.ledger.auditRecord(id: row.id) == row, "seq \(row.seq)")
        }
        #expect(page[1].recordJSON == held && page[count - 2].recordJSON == held)
        #expect(Set(page.map(\.recordJSON)).count == count - 1)
    }

    /// A ledger written before the text stopped being stored keeps it in each row: such a row is
    /// read as it stands, not worked out again.
    @Test func aRowThatHoldsItsTextIsReadAsStored() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1", user: "u1"))
        let worked = try #require(try test.ledger.auditRecords(AuditFilter(), afterSeq: 0, limit: 1).first)
        let held = worked.recordJSON.replacingOccurrences(of: "\"user-1\"", with: "\"user-1-as-stored\"")
        #expect(held != worked.recordJSON)
        try await test.ledger.database.write { db in
            try db.execute(sql: "UPDATE audit_records SET record = ? WHERE seq = 1", arguments: [held])
        }
        #expect(try test.ledger.auditRecord(id: worked.id)?.recordJSON == held)
        #expect(try test.ledger.auditRecords(AuditFilter(), afterSeq: 0, limit: 1).first?.recordJSON == held)
        // A text its event does not give is not the trail a replay makes.
        #expect(try test.ledger.verify().projectionMismatches == ["audit_records"])
    }

    /// An earlier version stored each record's text; such a ledger verifies as it stands, with no
    /// migration rewriting every row, when each text is what its event gives.
    @Test func aLedgerThatStoredEveryTextVerifies() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1", user: "u1"))
        try await test.submit(try test.grantCommand("c2", user: "u2"))
        let rows = try test.ledger.auditRecords(AuditFilter(), afterSeq: 0, limit: 10)
        #expect(rows.count == 2)
        try await test.ledger.database.write { db in
            for row in rows {
                try db.execute(
                    sql: "UPDATE audit_records SET record = ? WHERE seq = ?", arguments: [row.recordJSON, row.seq])
            }
        }
        let stored = try await test.ledger.database.read { db in
            try String.fetchAll(db, sql: "SELECT record FROM audit_records ORDER BY seq")
        }
        #expect(stored == rows.map(\.recordJSON))
        let report = try test.ledger.verify()
        #expect(report.isIntact && report.projectionsCompared)
        #expect(report.projectionMismatches.isEmpty)
        #expect(try test.ledger.auditRecords(AuditFilter(), afterSeq: 0, limit: 10) == rows)
    }
}
