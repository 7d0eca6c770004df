import Foundation

/// An application registered to ask users for grants (seed 001's client registry), as the
/// projection holds it. The secret is only ever known here as its SHA-256.
public struct OAuthClient: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case active, deleted
    }

    public var id: String
    public var name: String
    public var url: String?
    public var imageUrl: String?
    public var redirectUris: [String]
    public var isPublic: Bool
    public var scopes: [String]
    public var secretSha256: String?
    public var status: Status
    public var createdAtMs: Int64
    public var updatedAtMs: Int64
    public var version: Int64
    /// Whether the authorization code flow requires PKCE of this client (RFC 7636).
    public var pkce: PKCEPolicy
    /// How its access tokens (RFC 9068) and ID tokens (OpenID Connect) are signed.
    public var accessTokenAlg: SigningAlgorithm
    public var idTokenAlg: SigningAlgorithm

    public init(
        id: String, name: String, url: String?, imageUrl: String?, redirectUris: [String], isPublic: Bool,
        scopes: [String], secretSha256: String?, status: Status, createdAtMs: Int64, updatedAtMs: Int64,
        version: Int64, pkce: PKCEPolicy = .required, accessTokenAlg: SigningAlgorithm = .es256,
        idTokenAlg: SigningAlgorithm = .rs256
    ) {
        self.pkce = pkce
        self.accessTokenAlg = accessTokenAlg
        self.idTokenAlg = idTokenAlg
        self.id = id
        self.name = name
        self.url = url
        self.imageUrl = imageUrl
        self.redirectUris = redirectUris
        self.isPublic = isPublic
        self.scopes = scopes
        self.secretSha256 = secretSha256
        self.status = status
        self.createdAtMs = createdAtMs
        self.updatedAtMs = updatedAtMs
        self.version = version
    }

    public static func stream(_ id: String) -> String { "client/\(id)" }

    /// Whether every requested scope is one the client may ask for. `openid` is every client's:
    /// it grants nothing in the ledger, only an ID token naming the user (as Keycloak and Hydra do).
    public func permits(_ requested: [String]) -> Bool {
        requested.allSatisfy { scopes.contains($0) || $0 == OpenIDScope.openid }
    }
}

/// The scopes of OpenID Connect Core §5.4 that this provider knows.
public enum OpenIDScope {
    public static let openid = "openid"
}

/// RFC 7636 per client, as Keycloak sets it: `required` (the default for every new client), or
/// `optional` for a public client whose software cannot send it (it then relies on the redirect
/// URI alone to keep its code from others).
public enum PKCEPolicy: String, Codable, Sendable, CaseIterable {
    case required, optional
}

/// The JWS algorithms the ledger signs with. OpenID Connect makes RS256 mandatory for ID tokens;
/// ES256 is shorter and faster and the default for access tokens. Never `none` or HMAC.
public enum SigningAlgorithm: String, Codable, Sendable, CaseIterable {
    case es256 = "ES256"
    case rs256 = "RS256"
}

/// Input limits of client registrations.
public enum ClientRules {
    public static let redirectUrisMax = 16
    public static let uriLengthMax = 2000

    /// RFC 6749 §3.1.2: absolute, no fragment. Plain http only to loopback hosts (RFC 8252 §7.3,
    /// and NUT-21's `http://localhost:33388/callback`); custom schemes are native apps' (§7.1).
    public static func redirectUri(_ value: String) throws(ValidationError) -> String {
        let field = "redirect_uris"
        guard (1...uriLengthMax).contains(value.utf8.count), !value.contains(where: \.isWhitespace),
            let components = URLComponents(string: value), let scheme = components.scheme?.lowercased()
        else {
            throw ValidationError(field: field, reason: "\"\(value.prefix(80))\" is not an absolute URI")
        }
        guard components.fragment == nil else {
            throw ValidationError(field: field, reason: "\"\(value.prefix(80))\" must not have a fragment")
        }
        switch scheme {
        case "https":
            guard components.host?.isEmpty == false else {
                throw ValidationError(field: field, reason: "\"\(value.prefix(80))\" has no host")
            }
        case "http":
            guard let host = components.host?.lowercased(), ["localhost", "127.0.0.1", "[::1]", "::1"].contains(host)
            else {
                throw ValidationError(
                    field: field, reason: "http redirect URIs are allowed for localhost only; use https")
            }
        case "javascript", "data", "file", "vbscript":
            throw ValidationError(field: field, reason: "the \(scheme): scheme is not a redirect URI")
        default:
            break
        }
        return value
    }

    public static func redirectUris(_ values: [String]) throws(ValidationError) -> [String] {
        guard !values.isEmpty else {
            throw ValidationError(field: "redirect_uris", reason: "must name at least one redirect URI")
        }
        guard values.count <= redirectUrisMax else {
            throw ValidationError(field: "redirect_uris", reason: "at most \(redirectUrisMax) redirect URIs")
        }
        var seen: [String] = []
        for value in values {
            let uri = try redirectUri(value)
            if !seen.contains(uri) { seen.append(uri) }
        }
        return seen
    }

    /// A landing page or logo: http(s) only, since it ends up in a browser.
    public static func webURL(_ value: String, field: String) throws(ValidationError) -> String {
        guard (1...uriLengthMax).contains(value.utf8.count), let components = URLComponents(string: value),
            let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
            components.host?.isEmpty == false
        else { throw ValidationError(field: field, reason: "must be an http(s) URL") }
        return value
    }
}
