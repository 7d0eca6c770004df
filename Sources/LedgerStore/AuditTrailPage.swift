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
/// index would have. A range of eleven months on that trail took 0.29–0.70 s a page through the
/// index (the server's plan), 5–10 ms this way. A filter with anything else besides time is left
/// to SQLite's plan, as the other terms may keep few of the range's rows.
///
/// A user's records are three sets, each on its own index (acting, responsible, and the subject
/// where that is who was responsible): SQLite read their union through all three and sorted it,
/// every row of the user's after the cursor a page (0.32–0.51 s a page through the server for the
/// user of 773,788 payment records). Each set is read here in seq order up to a page, and the page
/// is the first of their union. (A user's page with a time filter still reads the user's rows
/// before the range's.)
enum AuditTrailPage {
    /// The three ways a record is a user's (`Ledger.conditions`).
    enum UserBranch: CaseIterable { case acting, responsible, subjectAsResponsible }

    /// The next page of `filter`'s records in the trail after `afterSeq`, through `throughSeq`.
    static func rows(
        _ filter: AuditFilter, afterSeq: Int64, throughSeq: Int64, pageRows: Int, _ db: Database
    ) throws -> [Row] {
        // Past the trail's last row nothing can match: no index is read to find that out.
        let headSeq = min(throughSeq, try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_trail") ?? 0)
        guard headSeq > afterSeq else { return [] }
        // Looked up once for every statement of the page.
        let timeBlocks = try Self.timeBlocks(filter, db)
        let windowEnd = try windowEnd(
            filter, afterSeq: afterSeq, headSeq: headSeq, pageRows: pageRows, timeBlocks: timeBlocks, db)
        guard
            let (first, arguments) = try statement(
                filter, afterSeq: afterSeq, throughSeq: throughSeq, pageRows: pageRows, windowEnd: windowEnd,
                timeBlocks: timeBlocks, db)
        else { return [] }
        var rows = try Row.fetchAll(db, sql: first, arguments: arguments)
        // A page the seq-order window left short goes on through the index, past the window.
        if let windowEnd, rows.count < pageRows, windowEnd < headSeq,
            let (restConditions, restArguments) = try Ledger.conditions(
                filter, afterSeq: windowEnd, throughSeq: headSeq, codedIn: db, timeBlocks: timeBlocks)
        {
            rows += try Row.fetchAll(
                db, sql: sql(restConditions, inSeqOrder: false), arguments: restArguments + [pageRows - rows.count])
        }
        return rows
    }

    /// The statement of a page's first read: a user's three sets, the seq-order window through
    /// `windowEnd` (`windowEnd(…)`), or the conditions as SQLite plans them. Nil when the filter
    /// names a term no record holds.
    static func statement(
        _ filter: AuditFilter, afterSeq: Int64, throughSeq: Int64, pageRows: Int, windowEnd: Int64?,
        timeBlocks: Ledger.TrailTimeBlocks = .lookUp, _ db: Database
    ) throws -> (String, StatementArguments)? {
        if filter.userId != nil {
            return try userPage(
                filter, afterSeq: afterSeq, throughSeq: throughSeq, pageRows: pageRows, timeBlocks: timeBlocks, db)
        }
        guard
            let (conditions, arguments) = try Ledger.conditions(
                filter, afterSeq: afterSeq, throughSeq: windowEnd ?? throughSeq, codedIn: db, timeBlocks: timeBlocks)
        else { return nil }
        return (sql(conditions, inSeqOrder: windowEnd != nil), arguments + [pageRows])
    }

    /// A page of a user's records: the first `pageRows` of the three sets' own first pages.
    static func userPage(
        _ filter: AuditFilter, afterSeq: Int64, throughSeq: Int64, pageRows: Int,
        timeBlocks: Ledger.TrailTimeBlocks = .lookUp, _ db: Database
    ) throws -> (String, StatementArguments)? {
        var branches: [String] = []
        var arguments = StatementArguments()
        for branch in UserBranch.allCases {
            guard
                let (conditions, branchArguments) = try Ledger.conditions(
                    filter, afterSeq: afterSeq, throughSeq: throughSeq, codedIn: db, userBranch: branch,
                    timeBlocks: timeBlocks)
            else { return nil }
            // A compound's members take no ORDER BY or LIMIT of their own: each is a subquery.
            branches.append("SELECT seq FROM (SELECT t.seq FROM audit_trail t WHERE \(conditions) ORDER BY t.seq LIMIT ?)")
            arguments += branchArguments
            arguments += [pageRows]
        }
        arguments += [pageRows]
        let sql = """
            \(Ledger.trailRows) WHERE t.seq IN (\(branches.joined(separator: " UNION ")) ORDER BY 1 LIMIT ?)
            ORDER BY t.seq
            """
        return (sql, arguments)
    }

    /// The page's rows as `AuditRow.rows` reads them, the page's size the last argument.
    static func sql(_ conditions: String, inSeqOrder: Bool) -> String {
        """
        \(Ledger.trailRows) WHERE t.seq IN (
          SELECT t.seq FROM audit_trail t\(inSeqOrder ? " NOT INDEXED" : "") WHERE \(conditions) ORDER BY t.seq LIMIT ?)
        ORDER BY t.seq
        """
    }

    /// The last seq a page reads in seq order, or nil to read it through the index (see above).
    /// `headSeq`: the trail's last seq, or the page's bound if lower.
    static func windowEnd(
        _ filter: AuditFilter, afterSeq: Int64, headSeq: Int64, pageRows: Int,
        timeBlocks: Ledger.TrailTimeBlocks = .lookUp, _ db: Database
    ) throws -> Int64? {
        // Time alone: compared with a filter of nothing else, so a field added later is not taken for time.
        guard filter.fromMs != nil || filter.untilMs != nil, filter == AuditFilter(fromMs: filter.fromMs, untilMs: filter.untilMs)
        else { return nil }
        guard headSeq > afterSeq else { return nil }
        let bound = seqOrderBound(pageRows: pageRows, rowsAfter: headSeq - afterSeq)
        let windowEnd = min(headSeq, afterSeq + 4 * bound)
        let fromMs = filter.fromMs ?? .min
        let untilMs = filter.untilMs ?? .max
        // Rows that keep no time of their own lie in the blocks that meet the range, together in
        // seq order as their times are: those of the window count (an upper bound, read from one
        // small table), as rows past it are no help to reading it.
        var inRange: Int64 = 0
        if let seqs = try timeBlocks.seqs(fromMs: fromMs, untilMs: untilMs, db) {
            inRange = max(0, min(seqs.upperBound, windowEnd) - max(seqs.lowerBound, afterSeq + 1) + 1)
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
        return inRange >= bound ? windowEnd : nil
    }

    /// A time filter's blocks, looked up; `.lookUp` (nothing to look up) for a filter of no time.
    static func timeBlocks(_ filter: AuditFilter, _ db: Database) throws -> Ledger.TrailTimeBlocks {
        guard filter.fromMs != nil || filter.untilMs != nil else { return .lookUp }
        return .known(try Ledger.trailTimeBlocks(fromMs: filter.fromMs ?? .min, untilMs: filter.untilMs ?? .max, db))
    }

    /// √(page × rows after the cursor), rounded up: where reading in seq order starts to read
    /// fewer rows than reading the range through its index.
    static func seqOrderBound(pageRows: Int, rowsAfter: Int64) -> Int64 {
        Int64((Double(max(pageRows, 1)) * Double(max(rowsAfter, 1))).squareRoot().rounded(.up))
    }
}
