import LedgerCore
import LedgerStore

/// The operator's connections: grant, read, list, change and revoke (the admin API). Throws
/// `ValidationError` for a field that cannot be, `Rejection` for what the decider refused.
package struct AdminConnections: Sendable {
    package let ledger: Ledger
    package let nwc: NWCSettings

    package init(ledger: Ledger, nwc: NWCSettings) {
        self.ledger = ledger
        self.nwc = nwc
    }

    /// A new connection; a replayed request (same idempotency key) answers the first one's.
    package func grant(
        userId: String, name: String, scopes: [String], budget: String?, expiresAtSec: Int64?, _ request: AdminRequest
    ) async throws -> (connection: Connection, replayed: Bool) {
        let command = try GrantConnection(
            connectionId: Identifiers.make(now: ledger.clock()), userId: userId, name: name, scopes: scopes,
            budget: try budget.map { text throws(ValidationError) in try nwc.budget(text) },
            expiresAtSec: expiresAtSec, nowMs: ledger.nowMs)
        switch try await ledger.grantConnection(command, request.context(.create, subjectUserId: userId)) {
        case .created(let connection, let replayed): return (connection, replayed)
        case .rejected(let rejection, _): throw rejection
        }
    }

    /// The members given change; `.remove` drops a budget or an expiry.
    package func update(
        id: String, name: String?, scopes: [String]?, budget: FieldChange<String>, expiresAtSec: FieldChange<Int64>,
        _ request: AdminRequest
    ) async throws -> Connection {
        let budgetChange: FieldChange<BudgetDefinition> =
            switch budget {
            case .keep: .keep
            case .remove: .remove
            case .set(let text): .set(try nwc.budget(text))
            }
        let command = try UpdateConnection(
            connectionId: id, name: name, scopes: scopes, budget: budgetChange, expiresAtSec: expiresAtSec,
            nowMs: ledger.nowMs)
        let context = request.context(.update, subjectUserId: try await ledger.connection(id: id)?.userId)
        if case .rejected(let rejection, _) = try await ledger.updateConnection(command, context) { throw rejection }
        return try await connection(id: id)
    }

    package func revoke(id: String, reason: String?, _ request: AdminRequest) async throws -> Connection {
        let command = try RevokeConnection(connectionId: id, reason: reason)
        let context = request.context(.delete, subjectUserId: try await ledger.connection(id: id)?.userId)
        if case .rejected(let rejection, _) = try await ledger.revokeConnection(command, context) { throw rejection }
        return try await connection(id: id)
    }

    package func connection(id: String) async throws -> Connection {
        guard let connection = try await ledger.connection(id: id) else {
            throw Rejection(.notFound, "no connection with id \(id)")
        }
        return connection
    }

    /// One page, oldest first; `afterId` is the last id of the page before.
    package func list(userId: String?, status: Connection.Status?, afterId: String?, limit: Int) async throws
        -> [Connection]
    {
        try await ledger.connections(userId: userId, status: status, afterId: afterId, limit: limit)
    }
}
