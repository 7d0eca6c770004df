import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore

/// Who is calling the OBP surface: the admin credential (a user holding every role, to bootstrap
/// the first grants), the operator's user JWT (the user `(local provider, sub)`, made on first
/// use), or a DAuth token from an allowed address (the smart contract's user, made on first use).
package struct ObpAuthentication: Sendable {
    package let ledger: Ledger
    package let admin: AdminCredentialDigest
    package let users: TrustedIssuers?
    package let settings: ObpSettings
    package let refusals: DAuthRefusalLog

    package init(ledger: Ledger, admin: AdminCredentialDigest, users: TrustedIssuers?, settings: ObpSettings, refusals: DAuthRefusalLog) {
        self.ledger = ledger
        self.admin = admin
        self.users = users
        self.settings = settings
        self.refusals = refusals
    }

    /// What a request carried: its bearer token, every `DAuth` header value, where it came from.
    package struct Credentials: Sendable {
        package var bearer: String?
        package var dauth: [String]
        package var source: RequestSource

        package init(bearer: String?, dauth: [String], source: RequestSource) {
            self.bearer = bearer
            self.dauth = dauth
            self.source = source
        }
    }

    package func caller(_ credentials: Credentials) async throws -> ObpCaller {
        // DAuth off: the header is ignored, as OBP does when `allow_dauth` is false.
        if let verifier = settings.dauth, !credentials.dauth.isEmpty {
            return try await dauthCaller(verifier, credentials)
        }
        guard let bearer = credentials.bearer else { throw ObpError(.notLoggedIn) }
        if admin.matches(bearer: bearer) { return .admin }
        guard let users, let identity = try? await users.verify(bearer, now: ledger.clock()) else {
            throw ObpError(.notLoggedIn, "The bearer token is neither the admin credential nor a valid user token.")
        }
        let user = try await ledger.obpUser(
            provider: settings.localProvider, username: identity.subject, orCreate: Identifiers.make(now: ledger.clock()),
            createdBy: "login",
            WriteContext(
                credentials.source.metadata(
                    actor: .init(id: "user:\(identity.subject)", role: "user"), action: .create, subjectUserId: identity.subject)))
        return .user(user, roles: try ledger.obpEntitlements(userId: user.id))
    }

    func dauthCaller(_ verifier: DAuthVerifier, _ credentials: Credentials) async throws -> ObpCaller {
        let source = credentials.source
        guard let ip = source.ip, settings.dauthAllowedIPs.contains(ip) else {
            try await refuse(source, .address, ObpError.Code.dauthNotAllowedAddress.message)
        }
        guard credentials.dauth.count == 1, let token = credentials.dauth.first else {
            try await refuse(source, .header, ObpError.Code.dauthHeaderInvalid.message)
        }
        let identity: DAuthIdentity
        do {
            identity = try await verifier.verify(token, now: ledger.clock())
        } catch {
            let code: ObpError.Code = error.kind == .header ? .dauthHeaderInvalid : .dauthTokenInvalid
            // OBP's sentence, then ours: which check failed.
            let reason = error.reason.prefix(1).uppercased() + error.reason.dropFirst()
            try await refuse(source, error.kind == .header ? .header : .token, "\(code.message) \(reason).")
        }
        var metadata = source.metadata(
            actor: .init(id: "dauth:\(identity.provider)/\(identity.username)", role: "dauth"), action: .create,
            subjectUserId: nil)
        metadata.subject = .init(id: "\(identity.provider)/\(identity.username)", idType: "obp-user")
        let user = try await ledger.obpUser(
            provider: identity.provider, username: identity.username, orCreate: Identifiers.make(now: ledger.clock()),
            createdBy: "dauth", WriteContext(metadata))
        return .user(user, roles: try ledger.obpEntitlements(userId: user.id))
    }

    /// Counts the refusal, writes it when its address's minute has not been written yet, and
    /// answers as OBP does: not logged in, because of what DAuth found.
    func refuse(_ source: RequestSource, _ kind: DAuthRefusalLog.DAuthRefusalKind, _ reason: String) async throws -> Never {
        let ip = source.ip ?? "unknown"
        if let (address, refusals) = await refusals.refused(ip: ip, kind: kind, nowMs: ledger.nowMs) {
            var metadata = source.metadata(actor: .init(id: "dauth:unknown", role: "dauth"), action: .execute, subjectUserId: nil)
            metadata.subject = .init(id: address, idType: "ip")
            // A refusal that cannot be written (disk full) is still a refusal, and counted above.
            try? await ledger.obpRecordDAuthRefusal(ip: address, reason: reason, refusals: refusals, WriteContext(metadata))
        }
        throw ObpError(.notLoggedIn, "<- " + reason)
    }
}
