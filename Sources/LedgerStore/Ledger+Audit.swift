import Dispatch
import Foundation
import GRDB
import LedgerCore

/// A record as the trail holds it: the record, its place in the log and who reported it.
public struct AuditRow: Sendable, Equatable {
    public var seq: Int64
    public var id: String
    public var sourceId: String
    public var recordedAtMs: Int64
    /// The record as canonical JSON (sorted keys, slashes unescaped), worked out from its event
    /// (or as an earlier version stored it). Pages and exports copy it as it is; only the FHIR
    /// mapping decodes it.
    public var recordJSON: String

    public init(seq: Int64, id: String, sourceId: String, recordedAtMs: Int64, recordJSON: String) {
        self.seq = seq
        self.id = id
        self.sourceId = sourceId
        self.recordedAtMs = recordedAtMs
        self.recordJSON = recordJSON
    }

    public func record() throws -> AuditRecord {
        try CanonicalJSON.decode(AuditRecord.self, from: Data(recordJSON.utf8))
    }

    /// Rows of `audit_records` as readers get them: each record worked out from its event unless
    /// the row holds its text (rows written before the text stopped being stored).
    static func rows(_ stored: [Row], _ db: Database) throws -> [AuditRow] {
        var rows: [AuditRow] = []
        rows.reserveCapacity(stored.count)
        var toWorkOut: [(index: Int, event: RecordedEvent)] = []
        for row in stored {
            let seq: Int64 = row["seq"]
            let text: String = row["record"]
            if text == AuditRecordsProjection.derivedRecord {
                toWorkOut.append((rows.count, try AuditRecordsProjection.event(ofRecord: seq, db)))
            }
            rows.append(
                AuditRow(
                    seq: seq, id: row["id"], sourceId: row["source_id"], recordedAtMs: row["recorded_at_ms"],
                    recordJSON: text))
        }
        let texts = try recordJSONs(toWorkOut.map(\.event))
        for (item, text) in zip(toWorkOut, texts) { rows[item.index].recordJSON = text }
        return rows
    }

    /// Working a record out is JSON (its event's metadata decoded, the record encoded), about 95 µs
    /// a record in a release build, so a long page (an export reads a thousand at a time) is
    /// split: a serial queue of its own (a thread, never one of the cooperative pool's) works out
    /// the second half while this thread does the first.
    static func recordJSONs(_ events: [RecordedEvent]) throws -> [String] {
        guard events.count >= splitAtCount else { return try events.map(AuditRecordsProjection.recordJSON(of:)) }
        final class Half: @unchecked Sendable {
            // Written by the queue before `done` is signalled, read only after waiting for it.
            let events: ArraySlice<RecordedEvent>
            var texts: Result<[String], any Error> = .success([])
            let done = DispatchSemaphore(value: 0)
            init(_ events: ArraySlice<RecordedEvent>) { self.events = events }
        }
        let middle = events.count / 2
        let second = Half(events[middle...])
        DispatchQueue(label: "grantledger.audit.records").async {
            second.texts = Result { try second.events.map(AuditRecordsProjection.recordJSON(of:)) }
            second.done.signal()
        }
        let first = Result { try events[..<middle].map(AuditRecordsProjection.recordJSON(of:)) }
        second.done.wait()
        return try first.get() + second.texts.get()
    }

    /// Pages shorter than this are worked out on the reader's thread alone.
    static let splitAtCount = 64
}

/// What a query of the trail asks for; every member narrows it.
public struct AuditFilter: Sendable, Equatable {
    public var subjectId: String?
    public var subjectIdType: String?
    /// Id types that count as `subjectIdType` too, matched only beside it: FHIR's BSN naming
    /// system stands for the id type `BSN` in any case, as `FHIRAuditEvent` writes it.
    public var subjectIdTypeAlternatives: [String] = []
    /// The user, as the one who acted or the one acted for.
    public var userId: String?
    public var fromMs: Int64?
    public var untilMs: Int64?
    public var action: EventMetadata.Action?
    public var eventCode: String?
    public var outcome: AuditRecord.Outcome?
    public var emergency: Bool?

    public init(
        subjectId: String? = nil, subjectIdType: String? = nil, userId: String? = nil, fromMs: Int64? = nil,
        untilMs: Int64? = nil, action: EventMetadata.Action? = nil, eventCode: String? = nil,
        outcome: AuditRecord.Outcome? = nil, emergency: Bool? = nil
    ) {
        self.subjectId = subjectId
        self.subjectIdType = subjectIdType
        self.userId = userId
        self.fromMs = fromMs
        self.untilMs = untilMs
        self.action = action
        self.eventCode = eventCode
        self.outcome = outcome
        self.emergency = emergency
    }
}

struct ReportAccessesCommand: LedgerCommand {
    let command: ReportAccesses
    var name: String { "ReportAccesses" }
    var stream: String { AccessReported.stream(sourceId: command.sourceId) }

    func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        let known = try AuditRecordsProjection.reportedIds(
            sourceId: command.sourceId, recordIds: command.records.compactMap(\.record.recordId), db)
        return .success(AuditDecider.decide(command, known: known, nowMs: nowMs).events)
    }
}

struct RecordAuditRead: LedgerCommand {
    let read: AuditLogRead
    var name: String { "RecordAuditRead" }
    var stream: String { AuditLogRead.stream }
    func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> { .success([read]) }
}

extension Ledger {
    /// Writes a batch of reported accesses in one commit (all or nothing) and answers each
    /// record's id: a `record_id` this source reported before answers its first id.
    public func reportAccesses(_ command: ReportAccesses, _ context: WriteContext) async throws -> [String] {
        guard command.records.count <= ReportAccesses.recordsMax else {
            throw Rejection(.invalidState, "at most \(ReportAccesses.recordsMax) records in one report")
        }
        if case .rejected(let rejection, _) = try await submit(try envelope(ReportAccessesCommand(command: command), context)) {
            throw rejection
        }
        // Decided in the writer; read back now that every record id is known to the ledger.
        let recordIds = command.records.compactMap(\.record.recordId)
        let known = try readOnCallersThread { db in
            try AuditRecordsProjection.reportedIds(sourceId: command.sourceId, recordIds: recordIds, db)
        }
        return command.records.map { entry in entry.record.recordId.flatMap { known[$0] } ?? entry.id }
    }

    /// A read of the trail, recorded before its answer leaves.
    public func recordAuditRead(_ read: AuditLogRead, _ context: WriteContext) async throws {
        _ = try await submit(try envelope(RecordAuditRead(read: read), context))
    }

    /// Records in log order after `afterSeq` (and up to `throughSeq`), at most `limit`, each
    /// filter an index range where one applies (subject, then user, then time). Rows written
    /// before `audit_trail` existed are in `audit_records`, all before its first row: that table
    /// is read first, for what lies before its newest row.
    public func auditRecords(
        _ filter: AuditFilter, afterSeq: Int64, throughSeq: Int64 = .max, limit: Int
    ) throws -> [AuditRow] {
        try readOnCallersThread { db in
            let before = try Self.auditRecordsHeadSeq(db)
            var stored: [Row] = []
            if afterSeq < before,
                let (conditions, arguments) = try Self.conditions(
                    filter, afterSeq: afterSeq, throughSeq: min(throughSeq, before))
            {
                stored = try Row.fetchAll(
                    db,
                    sql: "SELECT seq, id, source_id, recorded_at_ms, record FROM audit_records WHERE \(conditions) ORDER BY seq LIMIT ?",
                    arguments: arguments + [limit])
            }
            if stored.count < limit, throughSeq > before {
                stored += try AuditTrailPage.rows(
                    filter, afterSeq: max(afterSeq, before), throughSeq: throughSeq, pageRows: limit - stored.count, db)
            }
            // Not past a batch still syncing: a reader paging by seq would skip its records if a
            // power cut took them back. The rows are in seq order.
            return try AuditRow.rows(readable(stored, seq: { $0["seq"] }, readIn: db), db)
        }
    }

    /// How many records the filter matches up to `throughSeq` (an export's total, for its progress).
    public func auditRecordCount(_ filter: AuditFilter, throughSeq: Int64 = .max) throws -> Int {
        try readOnCallersThread { db in
            let before = try Self.auditRecordsHeadSeq(db)
            let throughSeq = min(throughSeq, readableThroughSeq(afterReadingIn: db))
            var count = 0
            if before > 0,
                let (conditions, arguments) = try Self.conditions(filter, afterSeq: 0, throughSeq: min(throughSeq, before))
            {
                count += try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM audit_records WHERE \(conditions)", arguments: arguments) ?? 0
            }
            if throughSeq > before,
                let (conditions, arguments) = try Self.conditions(
                    filter, afterSeq: before, throughSeq: throughSeq, codedIn: db)
            {
                count += try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM audit_trail t WHERE \(conditions)", arguments: arguments) ?? 0
            }
            return count
        }
    }

    /// The newest record's seq (an export stops there, so it ends however busy the log is).
    public func auditHeadSeq() throws -> Int64 {
        try readOnCallersThread { db in
            let head = max(
                try Self.auditRecordsHeadSeq(db), try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_trail") ?? 0)
            return min(head, readableThroughSeq(afterReadingIn: db))
        }
    }

    /// One record by its id.
    public func auditRecord(id: String) throws -> AuditRow? {
        try readOnCallersThread { db in
            let row =
                try Row.fetchOne(
                    db, sql: "SELECT seq, id, source_id, recorded_at_ms, record FROM audit_records WHERE id = ?",
                    arguments: [id])
                ?? Row.fetchOne(db, sql: "\(Self.trailRows) WHERE t.id = ?", arguments: [id])
                ?? Row.fetchOne(
                    db, sql: "\(Self.trailRows) WHERE e.event_id IN (?, ?) AND t.id IS NULL",
                    arguments: EventKeyStorage.forms(ofEventId: id))
            // A record whose batch is still syncing is not shown yet (`readableThroughSeq`).
            guard let row else { return nil }
            let seq: Int64 = row["seq"]
            guard seq <= readableThroughSeq(afterReadingIn: db) else { return nil }
            return try AuditRow.rows([row], db)[0]
        }
    }

    /// `audit_trail`'s rows as `AuditRow.rows` reads them.
    static let trailRows = """
        SELECT t.seq, COALESCE(t.id, \(EventKeyStorage.eventIdTextSQL("e.event_id"))) AS id, source.term AS source_id, e.recorded_at AS recorded_at_ms,
          '\(AuditRecordsProjection.derivedRecord)' AS record
        FROM audit_trail t JOIN events e ON e.seq = t.seq JOIN audit_terms source ON source.code = t.source_term
        """

    /// The newest row of `audit_records`, the table rows were written to before `audit_trail`; 0
    /// when it has none (a ledger begun, or replayed, since).
    static func auditRecordsHeadSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_records") ?? 0
    }

    /// A time filter over `audit_trail` (as `t`). A row that spells its time out is found in
    /// `audit_trail_occurred`; one that keeps NULL (its event's recorded_at, projections_v10) by
    /// seq, between the first and the last block of `audit_trail_times` whose span of times meets
    /// the filter's, then by its event's time. Exact whatever order the log's times are in; as
    /// narrow as the blocks that hold the filter's times when they are in seq order, which the
    /// writer keeps them in.
    /// `blocks`: `trailTimeBlocks(fromMs:untilMs:)`.
    static func trailTimeCondition(
        fromMs: Int64, untilMs: Int64, blocks: ClosedRange<Int64>?
    ) -> (String, [any DatabaseValueConvertible]) {
        let spelt = "t.occurred_at_ms BETWEEN ? AND ?"
        guard let seqs = blocks else {
            return ("(\(spelt))", [fromMs, untilMs])
        }
        return (
            """
            (\(spelt) OR (t.occurred_at_ms IS NULL AND t.seq BETWEEN ? AND ?
              AND (SELECT recorded_at FROM events WHERE seq = t.seq) BETWEEN ? AND ?))
            """,
            [fromMs, untilMs, seqs.lowerBound, seqs.upperBound, fromMs, untilMs]
        )
    }

    /// The seqs of the first through the last block of `audit_trail_times` whose span of times
    /// meets the filter's: where the rows that keep no time of their own and match it lie. Nil
    /// when no block does.
    static func trailTimeBlocks(fromMs: Int64, untilMs: Int64, _ db: Database) throws -> ClosedRange<Int64>? {
        // A scan of audit_trail_times (a row per 1,024 events): a page of the trail looks once
        // and hands the blocks to each of its conditions (`TrailTimeBlocks.known`).
        let blocks = try Row.fetchOne(
            db,
            sql: """
                SELECT min(block), max(block) FROM audit_trail_times
                WHERE latest_recorded_at_ms >= ? AND earliest_recorded_at_ms <= ?
                """,
            arguments: [fromMs, untilMs])
        guard let first = blocks?[0] as Int64?, let last = blocks?[1] as Int64? else { return nil }
        let shift = AuditRecordsProjection.timesBlockShift
        return (first << shift)...((last << shift) | ((1 << shift) - 1))
    }

    /// A time filter's `trailTimeBlocks`: looked up by `conditions`, or already known to its caller.
    enum TrailTimeBlocks {
        case lookUp
        case known(ClosedRange<Int64>?)

        func seqs(fromMs: Int64, untilMs: Int64, _ db: Database) throws -> ClosedRange<Int64>? {
            switch self {
            case .lookUp: try Ledger.trailTimeBlocks(fromMs: fromMs, untilMs: untilMs, db)
            case .known(let seqs): seqs
            }
        }
    }

    /// The filter as SQL: over `audit_records`, every value spelt out, or with `codedIn` over
    /// `audit_trail` (as `t`), each text value as its code looked up there. Nil when a value is
    /// one no record holds, so nothing can match.
    ///
    /// A user's records over `audit_trail` are those they acted in, those they were responsible
    /// for, and those about them where the responsible user is the subject: `userBranch` keeps
    /// one of the three (each read through its own index, in seq order), nil all three.
    ///
    /// `timeBlocks`: the filter's `trailTimeBlocks` if the caller has them already.
    static func conditions(
        _ filter: AuditFilter, afterSeq: Int64, throughSeq: Int64, codedIn db: Database? = nil,
        userBranch: AuditTrailPage.UserBranch? = nil, timeBlocks: TrailTimeBlocks = .lookUp
    ) throws -> (String, StatementArguments)? {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        func add(_ condition: String, _ values: [any DatabaseValueConvertible]) {
            conditions.append(condition)
            arguments.append(contentsOf: values)
        }
        /// A column's name in the table read: `spelt` in `audit_records`, `coded` in `audit_trail`.
        func column(_ spelt: String, _ coded: String) -> String { db == nil ? spelt : "t.\(coded)" }
        func plain(_ name: String) -> String { column(name, name) }
        /// A text value as the table read holds it: itself, or its code (nil if no record has it).
        func value(_ text: String) throws -> (any DatabaseValueConvertible)? {
            guard let db else { return text }
            return try AuditTerms.code(ifKnown: text, db)
        }
        /// Any of the texts; none known (no record holds one) matches nothing.
        func addTerms(_ spelt: String, _ coded: String, _ texts: [String]) throws -> Bool {
            let values = try texts.compactMap { try value($0) }
            guard !values.isEmpty else { return false }
            let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
            add(values.count == 1 ? "\(column(spelt, coded)) = ?" : "\(column(spelt, coded)) IN (\(placeholders))", values)
            return true
        }
        func addTerm(_ spelt: String, _ coded: String, _ text: String?) throws -> Bool {
            guard let text else { return true }
            return try addTerms(spelt, coded, [text])
        }
        add("\(plain("seq")) > ?", [afterSeq])
        if throughSeq < .max { add("\(plain("seq")) <= ?", [throughSeq]) }
        guard try addTerm("subject_id", "subject_term", filter.subjectId),
            try filter.subjectIdType.map({
                try addTerms("subject_id_type", "subject_id_type_term", [$0] + filter.subjectIdTypeAlternatives)
            }) ?? true
        else { return nil }
        if let userId = filter.userId {
            if let db {
                guard let code = try AuditTerms.code(ifKnown: userId, db) else { return nil }
                // `> 0` spelt out as `audit_trail_responsible` declares it: SQLite reads a partial
                // index only for a query term that says so (it leaves out 0, the subject, and NULL).
                let acting = "t.user_term = ?"
                let responsible = "(t.responsible_user_term = ? AND t.responsible_user_term > 0)"
                let subjectAsResponsible =
                    "(t.responsible_user_term = \(AuditRecordsProjection.responsibleIsSubject) AND t.subject_term = ?)"
                switch userBranch {
                case nil: add("(\(acting) OR \(responsible) OR \(subjectAsResponsible))", [code, code, code])
                case .acting: add(acting, [code])
                case .responsible: add(responsible, [code])
                case .subjectAsResponsible: add(subjectAsResponsible, [code])
                }
            } else {
                add("(user_id = ? OR responsible_user_id = ?)", [userId, userId])
            }
        }
        if filter.fromMs != nil || filter.untilMs != nil {
            let fromMs = filter.fromMs ?? .min
            let untilMs = filter.untilMs ?? .max
            if let db {
                let (condition, values) = trailTimeCondition(
                    fromMs: fromMs, untilMs: untilMs, blocks: try timeBlocks.seqs(fromMs: fromMs, untilMs: untilMs, db))
                add(condition, values)
            } else {
                add("occurred_at_ms BETWEEN ? AND ?", [fromMs, untilMs])
            }
        }
        guard try addTerm("action", "action_term", filter.action?.rawValue),
            try addTerm("event_code", "event_code_term", filter.eventCode),
            try addTerm("outcome", "outcome_term", filter.outcome?.rawValue)
        else { return nil }
        if let emergency = filter.emergency {
            // Spelt out over the trail: SQLite reads `audit_trail_emergency` (partial, `WHERE
            // emergency = 1`) only for a term that says so, which a bound value does not.
            if db != nil { add("t.emergency = \(emergency ? 1 : 0)", []) } else { add("emergency = ?", [emergency]) }
        }
        return (conditions.joined(separator: " AND "), StatementArguments(arguments))
    }
}
