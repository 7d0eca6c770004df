import LedgerAuth
import LedgerCore

/// A resource server's credential on a surface of its own (the audit trail, the Nuts internal
/// API, the authorization check): the admin credential, or an OAuth access token granted the
/// surface's scope. One check for all of them, so they refuse alike.
package struct ScopedAccess: Sendable {
    package let tokens: AccessTokenCheck
    package let admin: AdminCredentialDigest

    package init(tokens: AccessTokenCheck, admin: AdminCredentialDigest) {
        self.tokens = tokens
        self.admin = admin
    }

    package struct Caller: Sendable, Equatable {
        /// `admin`, or the OAuth client's id.
        package var clientId: String
        package var isAdmin: Bool
        package var scopes: Set<String>
    }

    package struct Refusal: Error, Sendable, Equatable {
        package enum Status: Sendable { case unauthorized, forbidden }
        package var status: Status
        package var message: String
    }

    package func caller(bearer: String?, needs scope: String) async throws(Refusal) -> Caller {
        guard let bearer else {
            throw Refusal(status: .unauthorized, message: "send the admin credential or an access token with \(scope)")
        }
        if admin.matches(bearer: bearer) { return Caller(clientId: "admin", isAdmin: true, scopes: []) }
        let access: AuthorizedAccess
        do {
            access = try await tokens.check(bearer)
        } catch {
            throw Refusal(status: .unauthorized, message: "the token is not valid: \(error.reason)")
        }
        guard access.claims.scopes.contains(scope) else {
            throw Refusal(status: .forbidden, message: "the token was not granted \(scope)")
        }
        return Caller(clientId: access.clientId, isAdmin: false, scopes: Set(access.claims.scopes))
    }
}
