/// An authorization code or device code on its way to becoming a connection, as the projection
/// holds it.
public struct PendingGrant: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case authorizationCode = "authorization_code"
        case deviceCode = "device_code"
    }

    public enum Status: String, Sendable {
        /// A device code the user has not answered yet.
        case pending
        /// A code that may be redeemed: every authorization code, and a device code the user approved.
        case approved
        case denied
        case redeemed
    }

    public var codeSha256: String
    public var kind: Kind
    public var connectionId: String
    public var clientId: String
    public var userId: String?
    public var redirectUri: String?
    public var redirectUriExplicit: Bool
    public var scopes: [String]
    public var codeChallengeS256: String?
    public var accessTokenLifetimeSec: Int64
    public var budget: BudgetDefinition?
    public var userCodeSha256: String?
    public var intervalSec: Int64?
    public var status: Status
    public var issuedAtMs: Int64
    public var expiresAtMs: Int64
    /// OpenID Connect: the authorization request's nonce, and when the user logged in.
    public var nonce: String?
    public var authTimeMs: Int64?

    public init(
        codeSha256: String, kind: Kind, connectionId: String, clientId: String, userId: String?,
        redirectUri: String?, redirectUriExplicit: Bool, scopes: [String], codeChallengeS256: String?,
        accessTokenLifetimeSec: Int64, budget: BudgetDefinition?, userCodeSha256: String?, intervalSec: Int64?,
        status: Status, issuedAtMs: Int64, expiresAtMs: Int64, nonce: String? = nil, authTimeMs: Int64? = nil
    ) {
        self.nonce = nonce
        self.authTimeMs = authTimeMs
        self.codeSha256 = codeSha256
        self.kind = kind
        self.connectionId = connectionId
        self.clientId = clientId
        self.userId = userId
        self.redirectUri = redirectUri
        self.redirectUriExplicit = redirectUriExplicit
        self.scopes = scopes
        self.codeChallengeS256 = codeChallengeS256
        self.accessTokenLifetimeSec = accessTokenLifetimeSec
        self.budget = budget
        self.userCodeSha256 = userCodeSha256
        self.intervalSec = intervalSec
        self.status = status
        self.issuedAtMs = issuedAtMs
        self.expiresAtMs = expiresAtMs
    }

    public func isExpired(atMs nowMs: Int64) -> Bool { expiresAtMs <= nowMs }
}

/// A refresh token as the projection holds it. Its family is its connection: reuse or
/// revocation ends the connection, and with it every token issued for it.
public struct RefreshTokenState: Sendable, Equatable {
    public enum Status: String, Sendable {
        case active, rotated, revoked
    }

    public var tokenSha256: String
    public var connectionId: String
    public var clientId: String
    public var userId: String
    public var scopes: [String]
    public var status: Status
    public var issuedAtMs: Int64
    public var expiresAtMs: Int64
    public var authTimeMs: Int64?

    public init(
        tokenSha256: String, connectionId: String, clientId: String, userId: String, scopes: [String],
        status: Status, issuedAtMs: Int64, expiresAtMs: Int64, authTimeMs: Int64? = nil
    ) {
        self.authTimeMs = authTimeMs
        self.tokenSha256 = tokenSha256
        self.connectionId = connectionId
        self.clientId = clientId
        self.userId = userId
        self.scopes = scopes
        self.status = status
        self.issuedAtMs = issuedAtMs
        self.expiresAtMs = expiresAtMs
    }
}
