/// An access token to mint with a grant decision: its `jti` and expiry are fixed before the
/// decision so the event can name them; the JWT is signed only after the commit.
public struct AccessTokenGrant: Sendable, Equatable {
    public var jti: String
    public var expiresAtSec: Int64

    public init(jti: String, expiresAtSec: Int64) {
        self.jti = jti
        self.expiresAtSec = expiresAtSec
    }
}

/// A refresh token to issue: only its digest reaches the ledger.
public struct RefreshTokenGrant: Sendable, Equatable {
    public var tokenSha256: String
    public var expiresAtMs: Int64

    public init(tokenSha256: String, expiresAtMs: Int64) {
        self.tokenSha256 = tokenSha256
        self.expiresAtMs = expiresAtMs
    }
}

public struct IssueAuthorizationCode: Sendable, Equatable {
    public var codeSha256: String
    public var connectionId: String
    public var clientId: String
    public var userId: String
    public var redirectUri: String
    public var redirectUriExplicit: Bool
    public var scopes: [String]
    public var codeChallengeS256: String?
    public var codeChallengeMethod: String?
    public var accessTokenLifetimeSec: Int64
    public var budget: BudgetDefinition?
    public var expiresAtMs: Int64
    public var nonce: String?
    public var authTimeMs: Int64?

    public init(
        codeSha256: String, connectionId: String, clientId: String, userId: String, redirectUri: String,
        redirectUriExplicit: Bool, scopes: [String], codeChallengeS256: String?, codeChallengeMethod: String?,
        accessTokenLifetimeSec: Int64, budget: BudgetDefinition?, expiresAtMs: Int64, nonce: String? = nil,
        authTimeMs: Int64? = nil
    ) {
        self.nonce = nonce
        self.authTimeMs = authTimeMs
        self.codeSha256 = codeSha256
        self.connectionId = connectionId
        self.clientId = clientId
        self.userId = userId
        self.redirectUri = redirectUri
        self.redirectUriExplicit = redirectUriExplicit
        self.scopes = scopes
        self.codeChallengeS256 = codeChallengeS256
        self.codeChallengeMethod = codeChallengeMethod
        self.accessTokenLifetimeSec = accessTokenLifetimeSec
        self.budget = budget
        self.expiresAtMs = expiresAtMs
    }
}

public struct StartDeviceAuthorization: Sendable, Equatable {
    public var deviceCodeSha256: String
    public var userCodeSha256: String
    public var connectionId: String
    public var clientId: String
    public var scopes: [String]
    public var accessTokenLifetimeSec: Int64
    public var intervalSec: Int64
    public var expiresAtMs: Int64

    public init(
        deviceCodeSha256: String, userCodeSha256: String, connectionId: String, clientId: String, scopes: [String],
        accessTokenLifetimeSec: Int64, intervalSec: Int64, expiresAtMs: Int64
    ) {
        self.deviceCodeSha256 = deviceCodeSha256
        self.userCodeSha256 = userCodeSha256
        self.connectionId = connectionId
        self.clientId = clientId
        self.scopes = scopes
        self.accessTokenLifetimeSec = accessTokenLifetimeSec
        self.intervalSec = intervalSec
        self.expiresAtMs = expiresAtMs
    }
}

public struct AnswerDeviceAuthorization: Sendable, Equatable {
    public var deviceCodeSha256: String
    public var connectionId: String
    public var userId: String
    public var approved: Bool
    public var budget: BudgetDefinition?
    public var authTimeMs: Int64?

    public init(
        deviceCodeSha256: String, connectionId: String, userId: String, approved: Bool, budget: BudgetDefinition?,
        authTimeMs: Int64? = nil
    ) {
        self.authTimeMs = authTimeMs
        self.deviceCodeSha256 = deviceCodeSha256
        self.connectionId = connectionId
        self.userId = userId
        self.approved = approved
        self.budget = budget
    }
}

/// The token request of an authorization code or device code.
public struct RedeemGrant: Sendable, Equatable {
    public var codeSha256: String
    public var connectionId: String
    public var clientId: String
    public var kind: PendingGrant.Kind
    /// The token request's `redirect_uri`, if it sent one.
    public var redirectUri: String?
    /// BASE64URL(SHA256(code_verifier)), if a verifier was sent.
    public var verifierS256: String?
    public var access: AccessTokenGrant
    public var refresh: RefreshTokenGrant

    public init(
        codeSha256: String, connectionId: String, clientId: String, kind: PendingGrant.Kind, redirectUri: String?,
        verifierS256: String?, access: AccessTokenGrant, refresh: RefreshTokenGrant
    ) {
        self.codeSha256 = codeSha256
        self.connectionId = connectionId
        self.clientId = clientId
        self.kind = kind
        self.redirectUri = redirectUri
        self.verifierS256 = verifierS256
        self.access = access
        self.refresh = refresh
    }
}

public struct RefreshGrant: Sendable, Equatable {
    public var tokenSha256: String
    public var connectionId: String
    public var clientId: String
    /// A narrower scope (RFC 6749 §6), or nil for the original one.
    public var scopes: [String]?
    public var access: AccessTokenGrant
    public var refresh: RefreshTokenGrant

    public init(
        tokenSha256: String, connectionId: String, clientId: String, scopes: [String]?, access: AccessTokenGrant,
        refresh: RefreshTokenGrant
    ) {
        self.tokenSha256 = tokenSha256
        self.connectionId = connectionId
        self.clientId = clientId
        self.scopes = scopes
        self.access = access
        self.refresh = refresh
    }
}

/// RFC 6749 §4.4: a confidential client's token for itself. Its tokens hang off one connection per
/// client (`ClientCredentials.connectionId`), so revoking that connection stops them all.
public struct IssueClientToken: Sendable, Equatable {
    public var clientId: String
    public var scopes: [String]
    public var access: AccessTokenGrant
    /// The budget of the client's own connection when this token creates it (the server's
    /// default budget); an existing connection keeps the budget it has.
    public var budget: BudgetDefinition?

    public init(clientId: String, scopes: [String], access: AccessTokenGrant, budget: BudgetDefinition? = nil) {
        self.clientId = clientId
        self.scopes = scopes
        self.access = access
        self.budget = budget
    }
}

public struct RevokeAccessToken: Sendable, Equatable {
    public var jti: String
    public var connectionId: String
    public var reason: String

    public init(jti: String, connectionId: String, reason: String) {
        self.jti = jti
        self.connectionId = connectionId
        self.reason = reason
    }
}

public enum ClientCredentials {
    public static func connectionId(clientId: String) -> String { "cc-\(clientId)" }
    /// Whose the connection is: the client itself, kept apart from user ids.
    public static func userId(clientId: String) -> String { "client:\(clientId)" }
}

public enum OAuthTokenKind {
    public static let access = "oauth_access"
}
