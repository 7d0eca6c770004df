import Foundation

/// A resource server's report of one access (`POST /audit/access`), kept as it was reported with
/// the ledger's id for it and the reporting source (from its credential, never from the body).
public struct AccessReported: DomainEvent {
    public static let type = "AccessReported"
    public static let typeVersion = 1

    public var id: String
    public var sourceId: String
    public var record: AuditRecord
    public var reportedAtMs: Int64

    public init(id: String, sourceId: String, record: AuditRecord, reportedAtMs: Int64) {
        self.id = id
        self.sourceId = sourceId
        self.record = record
        self.reportedAtMs = reportedAtMs
    }

    enum CodingKeys: String, CodingKey {
        case id
        case sourceId = "source_id"
        case record
        case reportedAtMs = "reported_at_ms"
    }

    public static func stream(sourceId: String) -> String { "audit/\(sourceId)" }
}

/// A read of the audit log itself ("loggegevens lezen"): who read, which filter, how many records
/// came back. Recorded before the answer leaves, so the log shows every look at it.
public struct AuditLogRead: DomainEvent {
    public static let type = "AuditLogRead"
    public static let typeVersion = 1
    public static let stream = "audit-reads"

    /// The filter as the reader gave it (`subject_id=…&from=…`), for the record's `query`.
    public var query: String
    /// The subject the read was about, when it named one (the patient's overview always does).
    public var subject: AuditRecord.Subject?
    public var count: Int
    public var readAtMs: Int64

    public init(query: String, subject: AuditRecord.Subject?, count: Int, readAtMs: Int64) {
        self.query = query
        self.subject = subject
        self.count = count
        self.readAtMs = readAtMs
    }

    enum CodingKeys: String, CodingKey {
        case query, subject, count
        case readAtMs = "read_at_ms"
    }
}

/// A batch of reported accesses from one source: all of them are written, or none.
public struct ReportAccesses: Sendable, Equatable {
    public var sourceId: String
    /// Each record with the id the ledger drew for it (used only if the record is new).
    public var records: [(id: String, record: AuditRecord)]

    public init(sourceId: String, records: [(id: String, record: AuditRecord)]) {
        self.sourceId = sourceId
        self.records = records
    }

    public static func == (lhs: ReportAccesses, rhs: ReportAccesses) -> Bool {
        lhs.sourceId == rhs.sourceId && lhs.records.map(\.id) == rhs.records.map(\.id)
            && lhs.records.map(\.record) == rhs.records.map(\.record)
    }

    /// A batch holds at most this many records (issue 12: up to 1,000).
    public static let recordsMax = 1000
}

public enum AuditDecider {
    /// The events to write and the id each record answers: a `record_id` this source reported
    /// before (or earlier in the same batch) answers its first id and writes nothing again.
    public static func decide(_ command: ReportAccesses, known: [String: String], nowMs: Int64)
        -> (events: [AccessReported], ids: [String])
    {
        var known = known
        var events: [AccessReported] = []
        var ids: [String] = []
        for (id, record) in command.records {
            if let recordId = record.recordId, let first = known[recordId] {
                ids.append(first)
                continue
            }
            if let recordId = record.recordId { known[recordId] = id }
            events.append(AccessReported(id: id, sourceId: command.sourceId, record: record, reportedAtMs: nowMs))
            ids.append(id)
        }
        return (events, ids)
    }
}
