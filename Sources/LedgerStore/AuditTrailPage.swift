import GRDB

/// How a page of `audit_trail` is read: which rows, in log order, and through what.
///
/// The page's seqs are picked from the trail alone, and only they are joined to their events and
/// sources. A time range read through `audit_trail_occurred` collects every row in the range and
/// sorts it by seq; joined before that sort, each of those rows read its event too: a day of a
/// 281,902-record trail joined 743 events for a page of 51.
///
/// A filter of time alone whose range holds many rows is read in seq order instead, the rowid
/// from the cursor on, stopping at the page's last row. With R rows of the log's N in the range,
/// spread over the log, that reads about page × N / R rows against the index's R, so seq order
/// is taken once R reaches √(page × N), counted up to that bound and no further. Seq order reads a
/// window of 4 √(page × N) rows at most: a page it does not fill (the range's rows lie elsewhere)
/// goes on through the index past the window, so no page reads more than the window and what the
/// index would have. A range of eleven months on that trail took 0.33–0.50 s a page through the
/// index (the server's plan), 5–8 ms this way. A filter with anything else besides time is left to
/// SQLite's plan, as the other terms may keep few of the range's rows.
enum AuditTrailPage {
    /// The next page: `conditions` and `arguments` are `Ledger.conditions(filter, afterSeq:,
    /// throughSeq:, codedIn:)`, over `audit_trail` as `t`.
    static func rows(
        _ filter: AuditFilter, _ conditions: String, _ arguments: StatementArguments, afterSeq: Int64,
        throughSeq: Int64, pageRows: Int, _ db: Database
    ) throws -> [Row] {
        guard let window = try seqOrderWindow(filter, afterSeq: afterSeq, throughSeq: throughSeq, pageRows: pageRows, db)
        else {
            return try Row.fetchAll(db, sql: sql(conditions, inSeqOrder: false), arguments: arguments + [pageRows])
        }
        let windowEnd = min(throughSeq, afterSeq + window)
        guard
            let (windowConditions, windowArguments) = try Ledger.conditions(
                filter, afterSeq: afterSeq, throughSeq: windowEnd, codedIn: db)
        else { return [] }
        var rows = try Row.fetchAll(
            db, sql: sql(windowConditions, inSeqOrder: true), arguments: windowArguments + [pageRows])
        if rows.count < pageRows, windowEnd < throughSeq,
            let (restConditions, restArguments) = try Ledger.conditions(
                filter, afterSeq: windowEnd, throughSeq: throughSeq, codedIn: db)
        {
            rows += try Row.fetchAll(
                db, sql: sql(restConditions, inSeqOrder: false), arguments: restArguments + [pageRows - rows.count])
        }
        return rows
    }

    /// The page's rows as `AuditRow.rows` reads them, the page's size the last argument.
    static func sql(_ conditions: String, inSeqOrder: Bool) -> String {
        """
        \(Ledger.trailRows) WHERE t.seq IN (
          SELECT t.seq FROM audit_trail t\(inSeqOrder ? " NOT INDEXED" : "") WHERE \(conditions) ORDER BY t.seq LIMIT ?)
        ORDER BY t.seq
        """
    }

    /// How many seqs after `afterSeq` to read in seq order, or nil to read through the index
    /// (see above).
    static func seqOrderWindow(
        _ filter: AuditFilter, afterSeq: Int64, throughSeq: Int64, pageRows: Int, _ db: Database
    ) throws -> Int64? {
        guard filter.fromMs != nil || filter.untilMs != nil, filter.subjectId == nil, filter.subjectIdType == nil,
            filter.userId == nil, filter.action == nil, filter.eventCode == nil, filter.outcome == nil,
            filter.emergency == nil
        else { return nil }
        let headSeq = min(throughSeq, try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_trail") ?? 0)
        guard headSeq > afterSeq else { return nil }
        let bound = seqOrderBound(pageRows: pageRows, rowsAfter: headSeq - afterSeq)
        let fromMs = filter.fromMs ?? .min
        let untilMs = filter.untilMs ?? .max
        // Rows that keep no time of their own lie in the blocks that meet the range, in seq order
        // as their times are: all of those blocks' rows after the cursor count (an upper bound,
        // read from one small table).
        var inRange: Int64 = 0
        if let seqs = try Ledger.trailTimeBlocks(fromMs: fromMs, untilMs: untilMs, db) {
            inRange = max(0, min(seqs.upperBound, headSeq) - max(seqs.lowerBound, afterSeq + 1) + 1)
        }
        if inRange < bound {
            // The index's entries in the range, wherever they lie: what reading through it costs.
            // `BETWEEN` implies the index's `IS NOT NULL`, so SQLite can always read it as asked.
            inRange +=
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM (SELECT 1 FROM audit_trail INDEXED BY audit_trail_occurred
                        WHERE occurred_at_ms BETWEEN ? AND ? LIMIT ?)
                        """,
                    arguments: [fromMs, untilMs, bound - inRange]) ?? 0
        }
        return inRange >= bound ? 4 * bound : nil
    }

    /// √(page × rows after the cursor), rounded up: where reading in seq order starts to read
    /// fewer rows than reading the range through its index.
    static func seqOrderBound(pageRows: Int, rowsAfter: Int64) -> Int64 {
        Int64((Double(max(pageRows, 1)) * Double(max(rowsAfter, 1))).squareRoot().rounded(.up))
    }
}
