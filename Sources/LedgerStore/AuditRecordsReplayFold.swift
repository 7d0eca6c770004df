import GRDB
import LedgerCore

/// `AuditRecordsProjection` for a replay. Each record looks up eight terms' codes, a statement
/// each, and widens its block's span of times, one more: in a replay of a payment ledger those
/// nine statements per event cost more than the row itself. Here codes are remembered (the same
/// few terms come back on nearly every record) and spans are widened in memory, each block's
/// written once. A term is still drawn its code by `AuditTerms` the first time it is met, so
/// codes come out in the same order as `apply` draws them.
///
/// A replay may remember codes without more ado: it is one transaction that nothing else writes,
/// so a code it has seen cannot be rolled back or drawn again behind its back (the writer's
/// `WriterMemory` must watch for both).
final class AuditRecordsReplayFold: ReplayFold {
    /// Codes remembered at most; past it they are forgotten and looked up again.
    static let termsHeldMaxDefault = 65_536
    /// Blocks' spans held at most (one block per 1,024 events): past it they are written.
    static let blocksHeldMaxDefault = 4_096

    /// By bytes, as `audit_terms` tells terms apart (`ByteKey`).
    private var codes: [ByteKey: Int64] = [:]
    /// The terms met last with their codes, compared byte for byte (lengths first, `ByteKey`) before `codes` is asked: most
    /// of a record's eight terms are the record before it's (its source, action, outcome and
    /// subject's type; in a payment ledger its subject and responsible user too), and comparing a
    /// term's bytes costs a fraction of hashing them (8 look-ups an event, 10,500 instructions
    /// under callgrind through the dictionary alone). Replaced in turn once full.
    private var recent: [(term: ByteKey, code: Int64)] = []
    private var recentReplaced = 0
    static let recentTermsMax = 16
    private var spans: [Int64: (earliestMs: Int64, latestMs: Int64)] = [:]
    private let termsHeldMax: Int
    private let blocksHeldMax: Int

    /// The trail's rows, written many to a statement (`BatchedInsert`).
    private var trailRows: BatchedInsert

    /// Smaller bounds are for tests.
    init(
        termsHeldMax: Int = termsHeldMaxDefault, blocksHeldMax: Int = blocksHeldMaxDefault,
        rowsPerInsert: Int = BatchedInsert.rowsPerStatementDefault
    ) {
        self.termsHeldMax = termsHeldMax
        self.blocksHeldMax = blocksHeldMax
        trailRows = BatchedInsert(sql: AuditRecordsProjection.trailInsertSQL, rowsPerStatement: rowsPerInsert)
    }

    func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws {
        let row = try event.auditRow ?? AuditRecordsProjection.row(for: event, typed: typed)
        let trail = try AuditRecordsProjection.trailValues(row, code: { try code($0, db) })
        if trail.keepsNoTime { try noteTime(row.seq >> AuditRecordsProjection.timesBlockShift, row.recordedAtMs, db) }
        try trailRows.append(trail.values, db)
    }

    func flush(_ db: Database) throws {
        try trailRows.write(db)
        for (block, span) in spans {
            try AuditRecordsProjection.noteTime(block: block, earliestMs: span.earliestMs, latestMs: span.latestMs, db)
        }
        spans.removeAll(keepingCapacity: true)
    }

    private func code(_ term: String, _ db: Database) throws -> Int64 {
        let key = ByteKey(term)
        for entry in recent where entry.term == key { return entry.code }
        let code = try rememberedCode(key, db)
        if recent.count < Self.recentTermsMax {
            recent.append((key, code))
        } else {
            recent[recentReplaced] = (key, code)
            recentReplaced = (recentReplaced + 1) % Self.recentTermsMax
        }
        return code
    }

    private func rememberedCode(_ key: ByteKey, _ db: Database) throws -> Int64 {
        if let code = codes[key] { return code }
        let code = try AuditTerms.code(key.text, db)
        if codes.count >= termsHeldMax { codes.removeAll(keepingCapacity: true) }
        codes[key] = code
        return code
    }

    private func noteTime(_ block: Int64, _ recordedAtMs: Int64, _ db: Database) throws {
        if let span = spans[block] {
            spans[block] = (min(span.earliestMs, recordedAtMs), max(span.latestMs, recordedAtMs))
            return
        }
        if spans.count >= blocksHeldMax { try flush(db) }
        spans[block] = (recordedAtMs, recordedAtMs)
    }
}

extension AuditRecordsProjection {
    public func makeReplayFold() -> (any ReplayFold)? { AuditRecordsReplayFold() }
}
