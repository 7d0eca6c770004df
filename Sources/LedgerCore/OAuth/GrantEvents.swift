/// The events of OAuth grants (RFC 6749, 7636, 8628, 7009). Codes, device codes, user codes and
/// refresh tokens appear only as SHA-256 hex digests; access tokens only by `jti`.
/// They live in the stream of the connection the grant becomes (`connection/<id>`).

/// A user said yes at `/oauth/authorize`; the code is single-use and short-lived.
public struct AuthorizationCodeIssued: DomainEvent {
    public static let type = "AuthorizationCodeIssued"
    /// 2: the budget may carry `max_per_payment`; a build that knows only 1 would ignore the cap.
    public static let typeVersion = 2

    public var codeSha256: String
    public var connectionId: String
    public var clientId: String
    public var userId: String
    public var redirectUri: String
    /// The request named `redirect_uri` itself, so the token request must repeat it (§4.1.3).
    public var redirectUriExplicit: Bool
    public var scopes: [String]
    /// Always in S256 form: a `plain` challenge is stored as its SHA-256, which keeps the verifier
    /// (a secret) out of the log and lets one comparison serve both methods.
    public var codeChallengeS256: String?
    public var codeChallengeMethod: String?
    public var accessTokenLifetimeSec: Int64
    public var budget: BudgetDefinition?
    public var issuedAtMs: Int64
    public var expiresAtMs: Int64
    /// OpenID Connect: the request's `nonce`, echoed in the ID token (a replay guard the client
    /// chose and sent through the browser, not a secret), and when the user logged in.
    public var nonce: String?
    public var authTimeMs: Int64?

    enum CodingKeys: String, CodingKey {
        case nonce
        case authTimeMs = "auth_time_ms"
        case codeSha256 = "code_sha256"
        case connectionId = "connection_id"
        case clientId = "client_id"
        case userId = "user_id"
        case redirectUri = "redirect_uri"
        case redirectUriExplicit = "redirect_uri_explicit"
        case scopes
        case codeChallengeS256 = "code_challenge_s256"
        case codeChallengeMethod = "code_challenge_method"
        case accessTokenLifetimeSec = "access_token_lifetime_sec"
        case budget
        case issuedAtMs = "issued_at_ms"
        case expiresAtMs = "expires_at_ms"
    }
}

/// RFC 8628 §3.1–3.2: a device asked for a grant; a user must now enter the user code.
public struct DeviceAuthorizationStarted: DomainEvent {
    public static let type = "DeviceAuthorizationStarted"
    public static let typeVersion = 1

    public var deviceCodeSha256: String
    public var userCodeSha256: String
    public var connectionId: String
    public var clientId: String
    public var scopes: [String]
    public var accessTokenLifetimeSec: Int64
    public var intervalSec: Int64
    public var issuedAtMs: Int64
    public var expiresAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case deviceCodeSha256 = "device_code_sha256"
        case userCodeSha256 = "user_code_sha256"
        case connectionId = "connection_id"
        case clientId = "client_id"
        case scopes
        case accessTokenLifetimeSec = "access_token_lifetime_sec"
        case intervalSec = "interval_sec"
        case issuedAtMs = "issued_at_ms"
        case expiresAtMs = "expires_at_ms"
    }
}

/// The user entered the code and said yes (with an optional budget) or no.
public struct DeviceAuthorizationAnswered: DomainEvent {
    public static let type = "DeviceAuthorizationAnswered"
    /// 2: the budget may carry `max_per_payment`; a build that knows only 1 would ignore the cap.
    public static let typeVersion = 2

    public var deviceCodeSha256: String
    public var connectionId: String
    public var userId: String
    public var approved: Bool
    public var budget: BudgetDefinition?
    public var answeredAtMs: Int64
    /// When the answering user logged in (OpenID Connect's `auth_time`).
    public var authTimeMs: Int64?

    enum CodingKeys: String, CodingKey {
        case authTimeMs = "auth_time_ms"
        case deviceCodeSha256 = "device_code_sha256"
        case connectionId = "connection_id"
        case userId = "user_id"
        case approved, budget
        case answeredAtMs = "answered_at_ms"
    }
}

/// A code (authorization or device) was exchanged for tokens; it is spent.
public struct GrantRedeemed: DomainEvent {
    public static let type = "GrantRedeemed"
    public static let typeVersion = 1

    public var codeSha256: String
    public var connectionId: String
    public var clientId: String
    public var grantType: String
    public var redeemedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case codeSha256 = "code_sha256"
        case connectionId = "connection_id"
        case clientId = "client_id"
        case grantType = "grant_type"
        case redeemedAtMs = "redeemed_at_ms"
    }
}

/// A spent code came back (RFC 6749 §4.1.2): someone else may hold it, so what it issued is
/// revoked by the `ConnectionRevoked` that follows.
public struct GrantReplayed: DomainEvent {
    public static let type = "GrantReplayed"
    public static let typeVersion = 1

    public var codeSha256: String
    public var connectionId: String
    public var clientId: String
    public var detectedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case codeSha256 = "code_sha256"
        case connectionId = "connection_id"
        case clientId = "client_id"
        case detectedAtMs = "detected_at_ms"
    }
}

public struct RefreshTokenIssued: DomainEvent {
    public static let type = "RefreshTokenIssued"
    public static let typeVersion = 1

    public var tokenSha256: String
    public var connectionId: String
    public var clientId: String
    public var userId: String
    public var scopes: [String]
    public var issuedAtMs: Int64
    public var expiresAtMs: Int64
    /// The original login's time, kept through rotations for the ID tokens of refreshes.
    public var authTimeMs: Int64?

    enum CodingKeys: String, CodingKey {
        case authTimeMs = "auth_time_ms"
        case tokenSha256 = "token_sha256"
        case connectionId = "connection_id"
        case clientId = "client_id"
        case userId = "user_id"
        case scopes
        case issuedAtMs = "issued_at_ms"
        case expiresAtMs = "expires_at_ms"
    }
}

/// Rotation: the refresh token was used once and replaced.
public struct RefreshTokenRotated: DomainEvent {
    public static let type = "RefreshTokenRotated"
    public static let typeVersion = 1

    public var tokenSha256: String
    public var connectionId: String
    public var rotatedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case tokenSha256 = "token_sha256"
        case connectionId = "connection_id"
        case rotatedAtMs = "rotated_at_ms"
    }
}

/// A rotated refresh token came back: the family is compromised and the `ConnectionRevoked` that
/// follows ends it (DESIGN §5).
public struct RefreshTokenReused: DomainEvent {
    public static let type = "RefreshTokenReused"
    public static let typeVersion = 1

    public var tokenSha256: String
    public var connectionId: String
    public var detectedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case tokenSha256 = "token_sha256"
        case connectionId = "connection_id"
        case detectedAtMs = "detected_at_ms"
    }
}

/// One access token revoked (RFC 7009), its grant left standing.
public struct TokenRevoked: DomainEvent {
    public static let type = "TokenRevoked"
    public static let typeVersion = 1

    public var jti: String
    public var connectionId: String
    public var reason: String?
    public var revokedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case jti
        case connectionId = "connection_id"
        case reason
        case revokedAtMs = "revoked_at_ms"
    }
}

/// The gateway let a call through to the origin, or refused it for its scope. Invalid tokens are
/// not recorded: nothing was decided about a grant (DESIGN §8).
public struct GatewayAccessRecorded: DomainEvent {
    public static let type = "GatewayAccessRecorded"
    public static let typeVersion = 1

    public var connectionId: String
    public var clientId: String?
    public var jti: String
    public var method: String
    /// The route's pattern, not the concrete path: no payment hashes or ids in the audit key.
    public var route: String
    public var scope: String
    public var allowed: Bool
    public var reason: String?
    public var atMs: Int64

    public init(
        connectionId: String, clientId: String?, jti: String, method: String, route: String, scope: String,
        allowed: Bool, reason: String?, atMs: Int64
    ) {
        self.connectionId = connectionId
        self.clientId = clientId
        self.jti = jti
        self.method = method
        self.route = route
        self.scope = scope
        self.allowed = allowed
        self.reason = reason
        self.atMs = atMs
    }

    public static func stream(_ connectionId: String) -> String { "gateway/\(connectionId)" }

    enum CodingKeys: String, CodingKey {
        case connectionId = "connection_id"
        case clientId = "client_id"
        case jti, method, route, scope, allowed, reason
        case atMs = "at_ms"
    }
}
