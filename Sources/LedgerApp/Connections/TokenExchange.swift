import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore

/// Seed 000's token exchange: the operator's short-lived user JWT becomes a long-lived connection
/// token, `ConnectionGranted` and `TokenIssued` recorded in one command.
package struct TokenExchange: Sendable {
    package let ledger: Ledger
    package let tokens: ConnectionTokens
    package let settings: NWCSettings

    package init(ledger: Ledger, tokens: ConnectionTokens, settings: NWCSettings) {
        self.ledger = ledger
        self.tokens = tokens
        self.settings = settings
    }

    /// What the NWC server asks for. `expirationSec` is unix seconds; a fraction is dropped
    /// (seed 000's Python sends `datetime.timestamp()`, a float).
    package struct Request: Sendable {
        package var permissions: [String]?
        package var expirationSec: Double?
        package var budget: String?
        package var name: String?

        package init(permissions: [String]?, expirationSec: Double?, budget: String?, name: String?) {
            self.permissions = permissions
            self.expirationSec = expirationSec
            self.budget = budget
            self.name = name
        }
    }

    package enum Refusal: Error, Sendable, Equatable {
        /// The request cannot be granted as asked; the message says why.
        case invalid(String)
        /// The ledger refused the grant (it should not: the ids are fresh).
        case notRecorded
    }

    /// The signed connection token. The expiry is capped at `tokenLifetimeSecMax` from now.
    package func exchange(_ request: Request, for user: UserIdentity, _ source: RequestSource) async throws -> String {
        let now = ledger.clock()
        let nowMs = now.unixMs
        let nowSec = nowMs / 1000
        let scopes: [String]
        let budget: BudgetDefinition?
        do {
            scopes = try NWCPermissions.expand(request.permissions ?? [])
            budget = try settings.grantBudget(request.budget)
        } catch {
            throw Refusal.invalid(error.field == "permissions" ? error.reason : error.description)
        }
        let latestSec = nowSec + settings.tokenLifetimeSecMax
        var expiresAtSec = latestSec
        if let expiration = request.expirationSec {
            guard expiration.isFinite, expiration > 0 else { throw Refusal.invalid("expiration must be unix seconds") }
            expiresAtSec = expiration >= Double(latestSec) ? latestSec : Int64(expiration.rounded(.down))
        }
        guard expiresAtSec > nowSec else { throw Refusal.invalid("expiration must be in the future (unix seconds)") }

        let connectionId = Identifiers.make(now: now)
        let jti = Identifiers.make(now: now)
        let grant: GrantConnection
        do {
            grant = try GrantConnection(
                connectionId: connectionId, userId: user.subject, name: request.name ?? "UMA NWC connection",
                scopes: scopes, budget: budget, expiresAtSec: expiresAtSec,
                token: TokenGrant(jti: jti, kind: "uma_nwc", expiresAtSec: expiresAtSec), nowMs: nowMs)
        } catch {
            throw Refusal.invalid(error.description)
        }
        // Signed before the commit: if signing failed nothing would be recorded, and a token
        // whose jti never reached the log is refused anyway.
        let token = try await tokens.mint(
            ConnectionTokenClaims(
                subject: user.subject, issuer: tokens.issuer, audience: tokens.audience, issuedAt: now,
                expiresAt: Date(timeIntervalSince1970: TimeInterval(expiresAtSec)), jti: jti, address: user.address,
                scopes: scopes, connectionId: connectionId))
        let metadata = source.metadata(
            actor: .init(id: "user:\(user.subject)", role: "user"), action: .create, subjectUserId: user.subject)
        guard case .created = try await ledger.grantConnection(grant, WriteContext(metadata)) else {
            throw Refusal.notRecorded
        }
        return token
    }
}
