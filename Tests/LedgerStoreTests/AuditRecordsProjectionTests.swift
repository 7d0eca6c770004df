import Foundation
import GRDB
import LedgerCore
import Testing

@testable import LedgerStore

/// The projection copies a reported record's JSON out of its event's data instead of encoding it
/// again: the copy must be byte for byte what encoding the record gives, whatever its text holds.
@Suite struct AuditRecordsProjectionTests {
    static func record(_ data: String, recordId: String = "r-1") throws -> AuditRecord {
        let json: [String: Any] = [
            "record_id": recordId, "event": ["code": "110110", "system": "http://dicom.nema.org/resources/ontology/DCM"],
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

        let (spelt, ids) = try await test.ledger.database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_records"),
                try Row.fetchAll(db, sql: "SELECT id FROM audit_trail ORDER BY seq").map { $0["id"] as String? }
            )
        }
        let eventIds = try test.ledger.events(afterSeq: 0, limit: 10).map(\.eventId)
        // Nothing in the old layout; the ledger's own record holds no id (its event's is its id).
        #expect(spelt == 0)
        #expect(ids == [nil, reportedId])
        let rows = try test.ledger.auditRecords(AuditFilter(), afterSeq: 0, limit: 10)
        #expect(rows[0].id == eventIds[0])
        #expect(try test.ledger.auditRecord(id: eventIds[0]) == rows[0])
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
        // The first two thirds as an earlier version stored them, two of them with their text.
        try await Self.storeAsBefore(test.ledger, throughSeq: Int64(count * 2 / 3))
        try await test.ledger.database.write { db in
            try db.execute(sql: "UPDATE audit_records SET record = ? WHERE seq IN (2, ?)", arguments: [held, count / 2])
        }
        let page = try test.ledger.auditRecords(AuditFilter(), afterSeq: 0, limit: count)
        #expect(page.map(\.seq) == Array(1...Int64(count)))
        for row in page {
            #expect(try test.ledger.auditRecord(id: row.id) == row, "seq \(row.seq)")
        }
        #expect(page[1].recordJSON == held && page[count / 2 - 1].recordJSON == held)
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
        try await Self.storeAsBefore(test.ledger, throughSeq: 1)
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
        try await Self.storeAsBefore(test.ledger, throughSeq: 2)
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

    /// Moves the trail's rows through `throughSeq` to `audit_records`, spelt out as a version
    /// before `audit_trail` wrote them (with `derivedRecord` as their text), as an upgraded ledger
    /// holds them.
    static func storeAsBefore(_ ledger: Ledger, throughSeq: Int64) async throws {
        try await ledger.database.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_records_closed")
            try db.execute(
                sql: "INSERT INTO audit_records \(AuditRecordsProjection.trailAsRecords()) WHERE t.seq <= ? ORDER BY t.seq",
                arguments: [throughSeq])
            try db.execute(sql: "DELETE FROM audit_trail WHERE seq <= ?", arguments: [throughSeq])
        }
    }

    /// Every way of reading the trail, as an auditor would page through it.
    static func everyReading(_ ledger: Ledger, ids: [String]) throws -> [String] {
        let filters: [AuditFilter] = [
            AuditFilter(), AuditFilter(subjectId: "user-2"), AuditFilter(subjectIdType: "user"),
            AuditFilter(userId: "admin"), AuditFilter(userId: "uzi:1"), AuditFilter(userId: "nobody"),
            AuditFilter(subjectId: "999911120"), AuditFilter(action: .read), AuditFilter(emergency: true),
            AuditFilter(fromMs: 0, untilMs: .max), AuditFilter(action: .create), AuditFilter(eventCode: "ConnectionGranted"),
            AuditFilter(eventCode: "unknown"), AuditFilter(outcome: .success), AuditFilter(emergency: false),
            AuditFilter(subjectId: "user-3", userId: "admin", eventCode: "ConnectionGranted"),
        ]
        var readings: [String] = []
        for filter in filters {
            var cursor: Int64 = 0
            var seqs: [Int64] = []
            // A page of two at a time, so pages cross from one table to the other.
            while true {
                let page = try ledger.auditRecords(filter, afterSeq: cursor, limit: 2)
                seqs += page.map(\.seq)
                guard let last = page.last, page.count == 2 else { break }
                cursor = last.seq
            }
            let whole = try ledger.auditRecords(filter, afterSeq: 0, limit: 1_000)
            #expect(whole.map(\.seq) == seqs, "\(filter)")
            readings.append("\(filter): \(whole.map { "\($0.seq) \($0.id) \($0.sourceId) \($0.recordedAtMs) \($0.recordJSON)" })")
            readings.append("count \(try ledger.auditRecordCount(filter)), through 3: \(try ledger.auditRecordCount(filter, throughSeq: 3))")
        }
        readings.append("head \(try ledger.auditHeadSeq())")
        for id in ids { readings.append("\(id): \(String(describing: try ledger.auditRecord(id: id)))") }
        return readings
    }

    /// An upgraded ledger keeps its records where an earlier version wrote them and writes new ones
    /// to `audit_trail`: every query, count, page and look-up by id answers as if all were in one
    /// table, and the checksum `verify` compares is the same.
    @Test func aTrailSplitBetweenTheOldTableAndTheNewReadsAsOne() async throws {
        let test = try TestLedger()
        for index in 1...4 { try await test.submit(try test.grantCommand("c\(index)", user: "u\(index)")) }
        let context = WriteContext(TestLedger.metadata)
        let reportedIds = ["01a22c55-1b32-71a6-9105-95b563df33d5", "01a22c55-1b32-71a6-9105-95b563df33d6"]
        _ = try await test.ledger.reportAccesses(
            ReportAccesses(sourceId: "client:his", records: [(reportedIds[0], try Self.record("lab results", recordId: "r1"))]),
            context)
        _ = try await test.ledger.reportAccesses(
            ReportAccesses(sourceId: "client:his", records: [(reportedIds[1], try Self.record("x-ray", recordId: "r2"))]),
            context)
        let eventIds = try test.ledger.events(afterSeq: 0, limit: 100).map(\.eventId)
        let ids = eventIds + reportedIds + ["01a22c55-0000-7000-8000-000000000000"]
        let oneTable = try Self.everyReading(test.ledger, ids: ids)
        let checksums = try test.ledger.verify().checksums

        try await Self.storeAsBefore(test.ledger, throughSeq: 5)
        let (before, after) = try await test.ledger.database.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_records"), try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_trail"))
        }
        #expect(before == 5 && after == 1)
        #expect(try Self.everyReading(test.ledger, ids: ids) == oneTable)
        let report = try test.ledger.verify()
        #expect(report.projectionMismatches.isEmpty)
        #expect(report.checksums == checksums)

        // A retried report finds its first id in either table.
        let retried = try await test.ledger.reportAccesses(
            ReportAccesses(
                sourceId: "client:his",
                records: [
                    ("01a22c55-1b32-71a6-9105-95b563df33e1", try Self.record("lab results", recordId: "r1")),
                    ("01a22c55-1b32-71a6-9105-95b563df33e2", try Self.record("x-ray", recordId: "r2")),
                ]), context)
        #expect(retried == reportedIds)
    }

    /// Once the trail is written to `audit_trail`, nothing may add to `audit_records` (readers
    /// take all of its rows to come first): an older build still running on the file fails.
    @Test func theOldTableRefusesNewRows() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1", user: "u1"))
        await #expect(throws: DatabaseError.self) {
            try await test.ledger.database.write { db in
                try db.execute(
                    sql: "INSERT INTO audit_records \(AuditRecordsProjection.trailAsRecords()) ORDER BY t.seq")
            }
        }
    }

    /// A row of the trail with no event behind it (a damaged file) is not hidden from `verify`.
    @Test func aTrailRowWithoutItsEventIsAMismatch() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1", user: "u1"))
        #expect(try test.ledger.verify().projectionMismatches.isEmpty)
        try await test.ledger.database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO audit_trail (seq, id, source_term, occurred_at_ms, event_code_term, action_term, user_term,
                      subject_id_type_term, subject_term, outcome_term)
                    SELECT seq + 100, NULL, source_term, occurred_at_ms, event_code_term, action_term, user_term,
                      subject_id_type_term, subject_term, outcome_term FROM audit_trail WHERE seq = 1
                    """)
        }
        #expect(try test.ledger.verify().projectionMismatches == ["audit_records"])
    }
}
