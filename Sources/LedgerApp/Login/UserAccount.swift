import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore

/// One of the user's grants as their own page shows it.
package struct AccountGrant: Sendable {
    package var status: BudgetStatus
    /// The app it was granted to, when an OAuth client holds it.
    package var client: OAuthClient?
    package var connection: Connection { status.connection }
    /// When it was last used: its last payment, else its last change.
    package var lastActivityMs: Int64 { max(status.lastSpendAtMs ?? 0, status.connection.updatedAtMs) }
}

/// The user's own view of what they granted (`/account`), and their revocation of it. The user
/// is the one authenticated by the caller (a browser session); nobody sees or ends another's.
package struct UserAccount: Sendable {
    package let ledger: Ledger
    /// A page shows at most this many grants, newest first.
    package static let grantsMax = 200

    package init(ledger: Ledger) { self.ledger = ledger }

    package func grants(of user: UserIdentity) async throws -> [AccountGrant] {
        let statuses = try await ledger.budgetStatuses(userId: user.subject, afterId: nil, limit: Self.grantsMax)
        var grants: [AccountGrant] = []
        for status in statuses {
            let client = try status.connection.clientId.flatMap { try ledger.client(id: $0) }
            grants.append(AccountGrant(status: status, client: client))
        }
        return grants.sorted { ($0.connection.status == .active ? 0 : 1, -$0.connection.createdAtMs)
            < ($1.connection.status == .active ? 0 : 1, -$1.connection.createdAtMs) }
    }

    /// Ends one of the user's own grants; another user's connection is "not found", never revealed.
    package func revoke(connectionId: String, by user: UserIdentity, _ source: RequestSource) async throws {
        guard (1...64).contains(connectionId.utf8.count), let connection = try await ledger.connection(id: connectionId),
            connection.userId == user.subject
        else { throw Rejection(.notFound, "no grant of yours has this id") }
        guard connection.status == .active else { return }
        let command = try RevokeConnection(connectionId: connectionId, reason: "revoked by the user")
        let context = WriteContext(
            source.metadata(
                actor: .init(id: "user:\(user.subject)", role: "user"), action: .delete, subjectUserId: user.subject))
        if case .rejected(let rejection, _) = try await ledger.revokeConnection(command, context) { throw rejection }
    }
}
