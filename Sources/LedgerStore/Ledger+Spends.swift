import Foundation
import GRDB
import LedgerCore

/// A connection's budget as of now: the cycle it is in and what that cycle has used.
public struct BudgetStatus: Sendable, Equatable {
    public var connection: Connection
    public var cycle: BudgetCycle?
    public var usage: BudgetUsage
    public var settledTotalMsat: Int64
    public var lastSpendAtMs: Int64?
}

extension Ledger {
    /// GRDB's blocking read, for every read the server makes from async code (the async overload
    /// would be chosen there otherwise). Never GRDB's async reads: one holds a reader while it waits
    /// to be scheduled on the cooperative pool, and with every pool thread blocked here waiting for
    /// a reader, nothing moves again (seen under load on 2 cores: the whole server hung). A blocking
    /// read holds its reader only while its own thread runs it, so the readers always come back.
    /// Public for the benchmarks' timing of deciders alone (`Benchmarks/Sources/Profile`, another
    /// package); a read cannot change the log.
    public func readOnCallersThread<T>(_ body: (Database) throws -> T) throws -> T {
        try database.read(body)
    }

    /// The ledger clock's now, the one every decision is stamped with.
    public var nowMs: Int64 { clock().unixMs }

    /// The token row and its connection, in one read snapshot. Primary-key look-ups on every
    /// request: read on the caller's thread, which costs less than hopping to a reader queue and back.
    public func token(jti: String) async throws -> (TokensProjection.Token, Connection)? {
        try tokenWithConnection(jti: jti).map { ($0.token, $0.connection) }
    }

    /// A token's row and its connection's, as kept (`AuthorizationRowCache`) or read in one snapshot.
    func tokenWithConnection(jti: String) throws -> (token: TokensProjection.Token, connection: Connection)? {
        try authorizationRows.tokens.row(jti) {
            try readOnCallersThread { db in
                guard let token = try TokensProjection.fetch(jti: jti, db),
                    let connection = try ConnectionsProjection.fetch(id: token.connectionId, db)
                else { return nil }
                return (token, connection)
            }
        }
    }

    /// A held spend as committed (`CommittedHeldSpends`), any other as read.
    public func spend(id: String) async throws -> Spend? {
        if let held = authorizationRows.heldSpends.spend(id: id) { return held }
        return try readOnCallersThread { db in try SpendsProjection.fetch(id: id, db) }
    }

    public func budgetStatus(connectionId: String) async throws -> BudgetStatus? {
        let nowMs = self.nowMs
        return try readOnCallersThread { db in
            guard let connection = try ConnectionsProjection.fetch(id: connectionId, db) else { return nil }
            return try Self.status(of: connection, nowMs: nowMs, db)
        }
    }

    /// A user's connections in id order, paged, each with its current usage.
    public func budgetStatuses(userId: String, afterId: String?, limit: Int) async throws -> [BudgetStatus] {
        let nowMs = self.nowMs
        return try readOnCallersThread { db in
            try ConnectionsProjection.list(userId: userId, status: nil, afterId: afterId, limit: limit, db).map {
                try Self.status(of: $0, nowMs: nowMs, db)
            }
        }
    }

    static func status(of connection: Connection, nowMs: Int64, _ db: Database) throws -> BudgetStatus {
        let current = try SpendsProjection.currentUsage(of: connection, nowMs: nowMs, db)
        let totals = try SpendsProjection.totals(connectionId: connection.id, db)
        return BudgetStatus(
            connection: connection, cycle: current?.cycle, usage: current?.usage ?? .zero,
            settledTotalMsat: totals.settledMsat, lastSpendAtMs: totals.lastSpendAtMs)
    }

    /// Releases holds nobody settled or released in time, each by a `SpendReleased` event with
    /// reason `expired`. Returns how many were released.
    @discardableResult
    public func expireHolds(limit: Int = 256, metadata: EventMetadata) async throws -> Int {
        let nowMs = self.nowMs
        let expired = try readOnCallersThread { db in try SpendsProjection.expiredHolds(nowMs: nowMs, limit: limit, db) }
        var released = 0
        for id in expired {
            let command = try ReleaseSpend(spendId: id, reason: .expired)
            let outcome = try await submit(
                try CommandEnvelope(SpendCommandHandler(.release(command)), metadata: metadata))
            if case .accepted(let events, _) = outcome, !events.isEmpty { released += 1 }
        }
        return released
    }
}
