import LedgerApp
import Foundation
import Hummingbird
import LedgerAuth

/// RFC 8414 `/.well-known/oauth-authorization-server` and the same document at OpenID Connect
/// Discovery's `/.well-known/openid-configuration` (what NUT-21 wallets read).
struct MetadataController: Sendable {
    let issuer: String
    let scopes: OAuthScopes

    func addRoutes(to router: RouterGroup<LedgerRequestContext>) {
        router.get(".well-known/oauth-authorization-server", use: metadata)
        router.get(".well-known/openid-configuration", use: metadata)
    }

    struct MetadataJSON: Encodable {
        var issuer: String
        var authorizationEndpoint: String
        var tokenEndpoint: String
        var jwksUri: String
        var introspectionEndpoint: String
        var revocationEndpoint: String
        var deviceAuthorizationEndpoint: String
        var userinfoEndpoint: String
        var scopesSupported: [String]
        var responseTypesSupported = ["code"]
        var responseModesSupported = ["query"]
        var grantTypesSupported = [
            "authorization_code", "refresh_token", "client_credentials", OAuthController.deviceGrantType,
        ]
        var codeChallengeMethodsSupported = ["S256", "plain"]
        var tokenEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post", "none"]
        var introspectionEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post"]
        var revocationEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post", "none"]
        var subjectTypesSupported = ["public"]
        /// RS256 first: OpenID Connect Core §15.1 makes it every provider's; ES256 per client.
        var idTokenSigningAlgValuesSupported = ["RS256", "ES256"]
        var accessTokenSigningAlgValuesSupported = ["ES256", "RS256"]
        var claimsSupported = ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "azp", "at_hash"]
        var promptValuesSupported = ["none", "login", "consent"]
        var claimsParameterSupported = false
        var requestParameterSupported = false
        var requestUriParameterSupported = false
        var authorizationResponseIssParameterSupported = true

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksUri = "jwks_uri"
            case introspectionEndpoint = "introspection_endpoint"
            case revocationEndpoint = "revocation_endpoint"
            case deviceAuthorizationEndpoint = "device_authorization_endpoint"
            case userinfoEndpoint = "userinfo_endpoint"
            case claimsSupported = "claims_supported"
            case promptValuesSupported = "prompt_values_supported"
            case claimsParameterSupported = "claims_parameter_supported"
            case requestParameterSupported = "request_parameter_supported"
            case requestUriParameterSupported = "request_uri_parameter_supported"
            case scopesSupported = "scopes_supported"
            case responseTypesSupported = "response_types_supported"
            case responseModesSupported = "response_modes_supported"
            case grantTypesSupported = "grant_types_supported"
            case codeChallengeMethodsSupported = "code_challenge_methods_supported"
            case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
            case introspectionEndpointAuthMethodsSupported = "introspection_endpoint_auth_methods_supported"
            case revocationEndpointAuthMethodsSupported = "revocation_endpoint_auth_methods_supported"
            case subjectTypesSupported = "subject_types_supported"
            case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
            case accessTokenSigningAlgValuesSupported = "access_token_signing_alg_values_supported"
            case authorizationResponseIssParameterSupported = "authorization_response_iss_parameter_supported"
        }
    }

    var document: MetadataJSON {
        MetadataJSON(
            issuer: issuer, authorizationEndpoint: "\(issuer)/oauth/authorize", tokenEndpoint: "\(issuer)/oauth/token",
            jwksUri: "\(issuer)/.well-known/jwks.json", introspectionEndpoint: "\(issuer)/oauth/introspect",
            revocationEndpoint: "\(issuer)/oauth/revoke",
            deviceAuthorizationEndpoint: "\(issuer)/oauth/device_authorization",
            userinfoEndpoint: "\(issuer)/oauth/userinfo", scopesSupported: scopes.sorted)
    }

    @Sendable func metadata(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        var response = try JSONResponse.make(.ok, document)
        response.headers[.cacheControl] = "public, max-age=300"
        return response
    }
}
