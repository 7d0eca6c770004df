import LedgerCore

/// Lifetimes and limits of the OAuth server.
public struct OAuthSettings: Sendable {
    /// Access tokens without an `expires_in` request live this long.
    public var accessTokenLifetimeSec: Int64
    /// The longest `expires_in` honoured; larger requests are capped (and the answer says so).
    public var accessTokenLifetimeSecMax: Int64
    public var refreshTokenLifetimeSec: Int64
    public var authorizationCodeLifetimeSec: Int64
    public var deviceCodeLifetimeSec: Int64
    /// RFC 8628 §3.2 `interval`: the least time between two polls of one device code.
    public var devicePollIntervalSec: Int64
    /// What scopes exist, with the descriptions `/oauth/scopes` and Alby's introspection show.
    public var scopes: OAuthScopes
    /// Where a browser without a session is sent to log in (seed 000: the operator's login
    /// system, which sends it back with the user's short-lived JWT as `token`). nil: the pages
    /// answer that no login is configured, unless `--dev-login` stands in.
    public var loginURL: String?
    /// How long a browser session lasts after the login redirect.
    public var sessionLifetimeSec: Int64
    /// ID tokens are read once, at login; an hour is what Keycloak and Hydra default to.
    public var idTokenLifetimeSec: Int64 = 3600

    public static let accessTokenLifetimeSecBounds = SettingBounds(default: 3600, range: 60...(366 * 86_400))
    public static let refreshTokenLifetimeSecBounds = SettingBounds(default: 30 * 86_400, range: 60...(3660 * 86_400))
    /// RFC 6749 §4.1.2 recommends at most ten minutes.
    public static let authorizationCodeLifetimeSecBounds = SettingBounds(default: 60, range: 1...600)
    public static let deviceCodeLifetimeSecBounds = SettingBounds(default: 600, range: 10...86_400)
    /// RFC 8628 §3.2's default interval is 5 seconds.
    public static let devicePollIntervalSecBounds = SettingBounds(default: 5, range: 1...60)
    public static let sessionLifetimeSecBounds = SettingBounds(default: 900, range: 60...43_200)

    public init(
        accessTokenLifetimeSec: Int64 = OAuthSettings.accessTokenLifetimeSecBounds.defaultValue,
        accessTokenLifetimeSecMax: Int64 = NWCSettings.tokenLifetimeSecMaxBounds.defaultValue,
        refreshTokenLifetimeSec: Int64 = OAuthSettings.refreshTokenLifetimeSecBounds.defaultValue,
        authorizationCodeLifetimeSec: Int64 = OAuthSettings.authorizationCodeLifetimeSecBounds.defaultValue,
        deviceCodeLifetimeSec: Int64 = OAuthSettings.deviceCodeLifetimeSecBounds.defaultValue,
        devicePollIntervalSec: Int64 = OAuthSettings.devicePollIntervalSecBounds.defaultValue,
        scopes: OAuthScopes = .standard, loginURL: String? = nil,
        sessionLifetimeSec: Int64 = OAuthSettings.sessionLifetimeSecBounds.defaultValue
    ) {
        self.loginURL = loginURL
        self.sessionLifetimeSec = sessionLifetimeSec
        self.accessTokenLifetimeSec = accessTokenLifetimeSec
        self.accessTokenLifetimeSecMax = accessTokenLifetimeSecMax
        self.refreshTokenLifetimeSec = refreshTokenLifetimeSec
        self.authorizationCodeLifetimeSec = authorizationCodeLifetimeSec
        self.deviceCodeLifetimeSec = deviceCodeLifetimeSec
        self.devicePollIntervalSec = devicePollIntervalSec
        self.scopes = scopes
    }
}

/// The scopes clients may be registered for, each with the sentence a user is shown.
public struct OAuthScopes: Sendable {
    public var descriptions: [String: String]

    public init(descriptions: [String: String]) { self.descriptions = descriptions }

    /// Alby's scopes (seed 001) and their descriptions.
    public static let standard = OAuthScopes(descriptions: [
        "account:read": "Read your Lightning Address and keysend information",
        "balance:read": "Read your account summary",
        "invoices:create": "Create invoices",
        "invoices:read": "Read incoming payment history",
        "transactions:read": "Read outgoing payment history",
        "payments:send": "Send payments",
        // OpenID Connect Core §3.1.2.1: asks for an ID token; it grants nothing in the ledger.
        "openid": "Sign you in to the app with your account id",
        // Issue 12: resource servers report accesses and auditors read the trail.
        "audit:write": "Report accesses to the audit trail (resource servers)",
        "audit:read": "Read the audit trail",
        "authz:check": "Ask whether a user may use an account permission or holds a role (recorded)",
        "nuts:internal": "Use the Nuts auth API's internal endpoints (contracts, signing sessions, access tokens)",
    ])

    /// The standard scopes plus any a gateway route requires (described generically).
    public func adding(_ scopes: [String]) -> OAuthScopes {
        var next = self
        for scope in scopes where next.descriptions[scope] == nil { next.descriptions[scope] = "Use \(scope)" }
        return next
    }

    public var sorted: [String] { descriptions.keys.sorted() }
}
