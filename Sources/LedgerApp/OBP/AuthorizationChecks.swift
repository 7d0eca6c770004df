import Foundation
import LedgerCore
import LedgerStore

/// `POST /authz/check`: a resource server asks whether a user may use a view permission on an
/// account or holds a role, and the answer is recorded as a NEN 7513 record with its outcome.
/// The caller is the admin credential or a client granted `authz:check`.
package struct AuthorizationChecks: Sendable {
    package static let scope = "authz:check"
    package let ledger: Ledger
    package let access: ScopedAccess

    package init(ledger: Ledger, access: ScopedAccess) {
        self.ledger = ledger
        self.access = access
    }

    package func check(_ check: ObpCheck, bearer: String?, source: RequestSource) async throws -> ObpCheckAnswer {
        let caller = try await access.caller(bearer: bearer, needs: Self.scope)
        if let error = AuthorizationDecider.validate(check) { throw error }
        var metadata = source.metadata(
            actor: .init(id: caller.isAdmin ? "admin" : "client:\(caller.clientId)", role: caller.isAdmin ? "admin" : "app"),
            onBehalfOf: check.userId, action: .execute, subjectUserId: nil)
        metadata.subject =
            if let bankId = check.bankId, let accountId = check.accountId {
                .init(id: "\(bankId)/\(accountId)", idType: "obp-account")
            } else {
                .init(id: check.userId, idType: "obp-user")
            }
        return try await ledger.obpCheck(check, WriteContext(metadata))
    }
}
