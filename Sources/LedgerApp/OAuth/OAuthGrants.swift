import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore

/// The OAuth 2 authorization server's policies (seed 001; RFC 6749, 7636, 7662, 7009, 8628): who
/// may ask for what, for how long, and what a code, device code or refresh token is worth. The
/// surface hands over plain parameters and turns the answers and `OAuthRefusal`s into HTTP; the
/// grant decider in the ledger has the last word on every state change.
package struct OAuthGrants: Sendable {
    package let ledger: Ledger
    package let tokens: AccessTokens
    package let users: TrustedIssuers?
    package let settings: OAuthSettings
    package let nwc: NWCSettings
    package let admin: AdminCredentialDigest
    let polls = DevicePollTracker()

    package init(
        ledger: Ledger, tokens: AccessTokens, users: TrustedIssuers?, settings: OAuthSettings, nwc: NWCSettings,
        admin: AdminCredentialDigest
    ) {
        self.ledger = ledger
        self.tokens = tokens
        self.users = users
        self.settings = settings
        self.nwc = nwc
        self.admin = admin
    }

    var nowMs: Int64 { ledger.nowMs }
    package var accessCheck: AccessTokenCheck { AccessTokenCheck(ledger: ledger, tokens: tokens) }

    /// The operator's short-lived user JWT, checked against the trusted issuers.
    package func user(token: String?) async throws(OAuthRefusal) -> UserIdentity {
        guard let token else {
            throw OAuthRefusal(
                .unauthorized, "login_required", "send the user's token as Authorization: Bearer",
                challenge: .bearer(error: nil))
        }
        guard let users else {
            throw OAuthRefusal(
                .unauthorized, "login_required", "no trusted issuer is configured: start with --trusted-issuer-key")
        }
        do {
            return try await users.verify(token, now: ledger.clock())
        } catch {
            throw OAuthRefusal(
                .unauthorized, "login_required", "the user token is not valid: \(error.reason)",
                challenge: .bearer(error: "invalid_token"))
        }
    }

    /// A requested scope list: known scopes, at most 64, deduplicated and sorted. nil when absent.
    package func requestedScopes(_ scopes: [String]?) throws(OAuthRefusal) -> [String]? {
        guard let scopes else { return nil }
        guard !scopes.isEmpty, scopes.count <= ConnectionRules.scopesMax,
            scopes.allSatisfy({ settings.scopes.descriptions[$0] != nil })
        else { throw .invalidScope("unknown scope; known: \(settings.scopes.sorted.joined(separator: " "))") }
        return Array(Set(scopes)).sorted()
    }

    /// What the client itself may be given when it asks for `scopes`: all of its own when none,
    /// and when it asks for `openid` alone (as a wallet's OpenID client does, and as Keycloak
    /// answers it: the client's default scopes, plus an ID token).
    func clientScopes(_ client: OAuthClient, requested: [String]?) throws(OAuthRefusal) -> [String] {
        var scopes = try requestedScopes(requested) ?? client.scopes
        if scopes == [OpenIDScope.openid] { scopes = Array(Set(client.scopes + scopes)).sorted() }
        guard client.permits(scopes) else {
            throw .invalidScope("the client may ask for: \(client.scopes.joined(separator: " ")) openid")
        }
        return scopes
    }

    func decide(
        _ command: GrantCommand, _ source: RequestSource, actor: EventMetadata.Actor, userId: String?,
        action: EventMetadata.Action
    ) async throws -> Decision<GrantEvent> {
        try await ledger.decideGrant(
            command,
            WriteContext(
                source.metadata(actor: actor, onBehalfOf: userId, action: action, subjectUserId: userId)))
    }

    static func clientActor(_ client: OAuthClient) -> EventMetadata.Actor {
        .init(id: "client:\(client.id)", role: "app")
    }

    static func userActor(_ user: UserIdentity) -> EventMetadata.Actor {
        .init(id: "user:\(user.subject)", role: "user")
    }

    func accessGrant(lifetimeSec: Int64) -> AccessTokenGrant {
        AccessTokenGrant(jti: Identifiers.make(now: ledger.clock()), expiresAtSec: nowMs / 1000 + lifetimeSec)
    }

    func refreshGrant() -> (secret: String, grant: RefreshTokenGrant) {
        let secret = OAuthSecrets.make()
        return (
            secret,
            RefreshTokenGrant(
                tokenSha256: OAuthSecrets.sha256Hex(secret),
                expiresAtMs: nowMs + settings.refreshTokenLifetimeSec * 1000)
        )
    }

    /// Signs the access token the ledger has just recorded (RFC 6749 §5.1's answer), with the
    /// client's algorithm; and, when `openid` was granted to a user's login, the ID token
    /// (OpenID Connect Core §3.1.3.3) bound to it by `at_hash`.
    func issued(
        _ access: AccessTokenGrant, subject: String, client: OAuthClient, scopes: [String], refreshToken: String?,
        login: OpenIDLogin?
    ) async throws -> IssuedTokens {
        let now = ledger.clock()
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(access.expiresAtSec))
        let jwt = try await tokens.mint(
            AccessTokenClaims(
                issuer: tokens.issuer, subject: subject, audience: tokens.audience, issuedAt: now,
                expiresAt: expiresAt, jti: access.jti, clientId: client.id, scopes: scopes),
            algorithm: client.accessTokenAlg)
        var idToken: String?
        if let login, scopes.contains(OpenIDScope.openid) {
            idToken = try await IDTokens(ring: tokens.ring, issuer: tokens.issuer).mint(
                IDTokenClaims(
                    issuer: tokens.issuer, subject: subject, clientId: client.id, issuedAt: now,
                    expiresAt: now.addingTimeInterval(TimeInterval(settings.idTokenLifetimeSec)),
                    authTime: login.authTimeMs.map { Date(timeIntervalSince1970: Double($0) / 1000) },
                    nonce: login.nonce, accessToken: jwt),
                algorithm: client.idTokenAlg)
        }
        return IssuedTokens(
            accessToken: jwt, expiresInSec: max(0, access.expiresAtSec - now.unixMs / 1000),
            refreshToken: refreshToken, scopes: scopes, idToken: idToken)
    }
}

/// The user's login behind a grant, for its ID token: when it happened, and the request's nonce.
struct OpenIDLogin {
    var authTimeMs: Int64?
    var nonce: String?
}

/// What the token endpoint hands out.
package struct IssuedTokens: Sendable {
    package var accessToken: String
    package var expiresInSec: Int64
    package var refreshToken: String?
    package var scopes: [String]
    /// OpenID Connect's ID token, when `openid` was granted for a user.
    package var idToken: String?
}
