import Foundation
import LedgerCore
import LedgerStore

/// The formats an export writes.
package enum AuditExportFormat: String, CaseIterable, Sendable {
    /// One FHIR R4 Bundle of type `collection`, an AuditEvent per entry.
    case fhir
    /// One record per line, in the shape `GET /audit/events` answers.
    case ndjson
    /// RFC 4180, a header row and one record per row, a column per field of the record.
    case csv
}

/// Writes the trail out for keeping or handing over (`grantledger audit export`). The read is
/// recorded in the log first, like every read of it. Pages of `pageSize` records are read and
/// written one at a time, up to the newest record when the export began, so memory stays the
/// same however long the log is and the export ends however busy the server is.
package struct AuditExport: Sendable {
    package let ledger: Ledger
    package static let pageSize = 1000

    package init(ledger: Ledger) {
        self.ledger = ledger
    }

    /// Answers how many records were written. The read is recorded as `operator:<operatorId>`. `write` gets each page's bytes; `progress` the
    /// records written so far and the total.
    package func run(
        _ format: AuditExportFormat, filter: AuditFilter, baseURL: String, query: String, operatorId: String,
        write: (Data) throws -> Void, progress: (_ done: Int, _ total: Int) -> Void
    ) async throws -> Int {
        try AuditTrail.check(filter)
        let throughSeq = try ledger.auditHeadSeq()
        let total = try ledger.auditRecordCount(filter, throughSeq: throughSeq)
        let subject = filter.subjectId.map { AuditRecord.Subject(idType: filter.subjectIdType ?? "any", id: $0) }
        try await Self.recordOperatorRead(
            ledger, query: "export format=\(format.rawValue)" + (query.isEmpty ? "" : "&" + query), subject: subject,
            count: total, operatorId: operatorId)

        var writer = Writer(
            format: format, exportedAtMs: ledger.nowMs,
            baseURL: baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL)
        try write(writer.header())
        var afterSeq: Int64 = 0
        var done = 0
        progress(0, total)
        while true {
            let rows = try ledger.auditRecords(filter, afterSeq: afterSeq, throughSeq: throughSeq, limit: Self.pageSize)
            guard let last = rows.last else { break }
            var page = Data()
            for row in rows { try writer.append(row, to: &page) }
            try write(page)
            done += rows.count
            afterSeq = last.seq
            progress(done, total)
        }
        try write(writer.footer())
        return done
    }

    /// Records a read of the log by an operator at the command line (an export, a backup).
    package static func recordOperatorRead(
        _ ledger: Ledger, query: String, subject: AuditRecord.Subject?, count: Int, operatorId: String
    ) async throws {
        try await ledger.recordAuditRead(
            AuditLogRead(query: String(query.prefix(1024)), subject: subject, count: count, readAtMs: ledger.nowMs),
            WriteContext(
                EventMetadata(
                    actor: .init(id: "operator:\(operatorId)", role: "operator"), action: .read,
                    source: .init(serviceId: SystemActor.serviceId), requestId: Identifiers.make(now: ledger.clock()))))
    }

    /// One format's framing and rows.
    struct Writer {
        let format: AuditExportFormat
        let exportedAtMs: Int64
        let baseURL: String
        var written = 0

        func header() -> Data {
            switch format {
            case .ndjson: Data()
            case .csv: Data((AuditCSV.columns.joined(separator: ",") + "\r\n").utf8)
            case .fhir:
                // `entry` opens with the first record: FHIR forbids an empty array.
                Data(#"{"resourceType":"Bundle","timestamp":"\#(RFC3339.string(unixMs: exportedAtMs))","type":"collection""#.utf8)
            }
        }

        mutating func append(_ row: AuditRow, to page: inout Data) throws {
            switch format {
            case .ndjson:
                page.append(try AuditRecordJSON.object(row))
                page.append(UInt8(ascii: "\n"))
            case .csv:
                page.append(contentsOf: AuditCSV.row(row, try row.record()).utf8)
            case .fhir:
                page.append(contentsOf: (written == 0 ? #","entry":["# : ",").utf8)
                let resource = FHIRAuditEvent.resource(try StoredAuditRecord(row), baseURL: baseURL)
                page.append(contentsOf: #"{"fullUrl":"#.utf8)
                page.append(try CanonicalJSON.encode(baseURL + "/fhir/AuditEvent/" + row.id))
                page.append(contentsOf: #","resource":"#.utf8)
                page.append(try FHIRJSON.encode(resource))
                page.append(UInt8(ascii: "}"))
            }
            written += 1
        }

        func footer() -> Data {
            switch format {
            case .ndjson, .csv: Data()
            case .fhir: Data((written > 0 ? "]}\n" : "}\n").utf8)
            }
        }
    }
}
