import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerAuth
import LedgerCore

/// The OAuth 2 authorization server's routes (seed 001, RFC 6749/7636/7662/7009/8628):
/// `/oauth/…`. Translation only: form parameters in, `OAuthGrants`' answers out as JSON or a
/// redirect, its refusals in OAuth's error shape.
struct OAuthController: Sendable {
    let grants: OAuthGrants
    let bodyBytesMax: Int
    let browser: BrowserLogin
    let pages: Pages
    let introspectionBodies = IntrospectionBodies()

    static let deviceGrantType = OAuthGrants.deviceGrantType

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
        router.get("userinfo", use: userInfo)
        router.post("userinfo", use: userInfo)
    }

    /// OpenID Connect Core §5.3, GET or POST with the access token as Bearer.
    @Sendable func userInfo(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        // The token is only ever read from the header (RFC 6750 §2.1); a POST's body is ignored.
        let claims = try await grants.userInfo(accessToken: request.bearerToken.map(String.init))
        return try JSONResponse.make(.ok, claims, headers: [.cacheControl: "no-store"])
    }

    /// The operator's user JWT: `Authorization: Bearer`, or `token` as in seed 000's redirect.
    static func userToken(_ request: Request, _ form: FormParameters) -> String? {
        request.bearerToken.map(String.init) ?? form["token"]
    }

    func form(_ request: Request, includeQuery: Bool) async throws -> FormParameters {
        try await FormParameters.of(request, bytesMax: bodyBytesMax, includeQuery: includeQuery)
    }

    static func source(_ request: Request, _ context: LedgerRequestContext) -> RequestSource {
        RequestMetadata.source(request, context: context)
    }

    struct TokenJSON: Encodable {
        var accessToken: String
        var tokenType = "Bearer"
        var expiresIn: Int64
        var refreshToken: String?
        var scope: String
        var idToken: String?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
            case refreshToken = "refresh_token"
            case scope
            case idToken = "id_token"
        }

        init(_ issued: IssuedTokens) {
            accessToken = issued.accessToken
            expiresIn = issued.expiresInSec
            refreshToken = issued.refreshToken
            scope = issued.scopes.joined(separator: " ")
            idToken = issued.idToken
        }
    }

    /// RFC 6749 §5.1: never cached.
    static func noStore(_ body: some Encodable) throws -> Response {
        try JSONResponse.make(.ok, body, headers: [.cacheControl: "no-store", .pragma: "no-cache"])
    }

    @Sendable func scopes(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        try JSONResponse.make(.ok, grants.settings.scopes.descriptions)
    }
}

extension HTTPField.Name {
    static let pragma = Self("Pragma")!
}
