import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore

/// The OAuth 2 authorization server (seed 001, RFC 6749/7636/7662/7009/8628): `/oauth/…`.
/// HTTP only: it parses parameters, builds grant commands for the ledger and answers in OAuth's
/// own error shape.
struct OAuthController: Sendable {
    let ledger: Ledger
    let tokens: AccessTokens
    let users: TrustedIssuers?
    let settings: OAuthSettings
    let nwc: NWCSettings
    let bodyBytesMax: Int
    let admin: AdminCredentialDigest
    let polls = DevicePollTracker()

    static let deviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"

    func addRoutes(to router: RouterGroup<LedgerRequestContext>) {
        router.get("authorize", use: authorize)
        router.post("authorize", use: authorize)
        router.post("token", use: token)
        router.post("device_authorization", use: deviceAuthorization)
        router.get("device", use: deviceInfo)
        router.post("device", use: deviceVerify)
        router.post("introspect", use: introspect)
        router.get("token/introspect", use: albyIntrospect)
        router.post("revoke", use: revoke)
        router.get("scopes", use: scopes)
    }

    var nowMs: Int64 { ledger.nowMs }

    /// The operator's short-lived user JWT: `Authorization: Bearer`, or `token` as in seed 000's redirect.
    func user(_ request: Request, _ form: FormParameters) async throws(OAuthError) -> UserIdentity {
        guard let token = request.bearerToken.map(String.init) ?? form["token"] else {
            var error = OAuthError(.unauthorized, "login_required", "send the user's token as Authorization: Bearer")
            error.headers[.wwwAuthenticate] = #"Bearer realm="grantledger""#
            throw error
        }
        guard let users else {
            throw OAuthError(
                .unauthorized, "login_required", "no trusted issuer is configured: start with --trusted-issuer-key")
        }
        do {
            return try await users.verify(token, now: ledger.clock())
        } catch {
            var oauthError = OAuthError(.unauthorized, "login_required", "the user token is not valid: \(error.reason)")
            oauthError.headers[.wwwAuthenticate] = #"Bearer realm="grantledger", error="invalid_token""#
            throw oauthError
        }
    }

    /// A scope list: each a scope string, at most 64. nil when absent.
    func requestedScopes(_ form: FormParameters) throws(OAuthError) -> [String]? {
        guard let scopes = form.scopes else { return nil }
        guard !scopes.isEmpty, scopes.count <= ConnectionRules.scopesMax,
            scopes.allSatisfy({ settings.scopes.descriptions[$0] != nil })
        else { throw .invalidScope("unknown scope; known: \(settings.scopes.sorted.joined(separator: " "))") }
        return Array(Set(scopes)).sorted()
    }

    func submit(
        _ command: GrantCommand, _ request: Request, _ context: LedgerRequestContext, actor: EventMetadata.Actor,
        userId: String?, action: EventMetadata.Action
    ) async throws -> CommandOutcome {
        do {
            return try await ledger.submit(
                try CommandEnvelope(
                    GrantCommandHandler(command),
                    metadata: RequestMetadata.make(
                        request, context: context, actor: actor, onBehalfOf: userId, action: action,
                        subjectUserId: userId)))
        } catch let error as LedgerError {
            throw OAuthError.ledger(error)
        }
    }

    static func clientActor(_ client: OAuthClient) -> EventMetadata.Actor {
        .init(id: "client:\(client.id)", role: "app")
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

    struct TokenJSON: Encodable {
        var accessToken: String
        var tokenType = "Bearer"
        var expiresIn: Int64
        var refreshToken: String?
        var scope: String

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
            case refreshToken = "refresh_token"
            case scope
        }
    }

    /// Signs the access token the ledger just recorded and answers RFC 6749 §5.1.
    func tokenResponse(
        access: AccessTokenGrant, subject: String, clientId: String, scopes: [String], refreshToken: String?
    ) async throws -> Response {
        let now = ledger.clock()
        let jwt = try await tokens.mint(
            AccessTokenClaims(
                issuer: tokens.issuer, subject: subject, audience: tokens.audience, issuedAt: now,
                expiresAt: Date(timeIntervalSince1970: TimeInterval(access.expiresAtSec)), jti: access.jti,
                clientId: clientId, scopes: scopes))
        return try JSONResponse.make(
            .ok,
            TokenJSON(
                accessToken: jwt, expiresIn: max(0, access.expiresAtSec - now.unixMs / 1000),
                refreshToken: refreshToken, scope: scopes.joined(separator: " ")),
            headers: [.cacheControl: "no-store", .pragma: "no-cache"])
    }

    @Sendable func scopes(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        try JSONResponse.make(.ok, settings.scopes.descriptions)
    }
}

extension HTTPField.Name {
    static let pragma = Self("Pragma")!
}
