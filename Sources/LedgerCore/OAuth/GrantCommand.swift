/// The OAuth grant commands. All of a grant's events go to the stream of the connection it
/// becomes (a client's own client-credentials grant included).
public enum GrantCommand: Sendable, Equatable {
    case issueCode(IssueAuthorizationCode)
    case startDevice(StartDeviceAuthorization)
    case answerDevice(AnswerDeviceAuthorization)
    case redeem(RedeemGrant)
    case refresh(RefreshGrant)
    case issueClientToken(IssueClientToken)
    case revokeAccessToken(RevokeAccessToken)

    public var name: String {
        switch self {
        case .issueCode: "IssueAuthorizationCode"
        case .startDevice: "StartDeviceAuthorization"
        case .answerDevice: "AnswerDeviceAuthorization"
        case .redeem: "RedeemGrant"
        case .refresh: "RefreshGrant"
        case .issueClientToken: "IssueClientToken"
        case .revokeAccessToken: "RevokeAccessToken"
        }
    }

    public var connectionId: String {
        switch self {
        case .issueCode(let c): c.connectionId
        case .startDevice(let c): c.connectionId
        case .answerDevice(let c): c.connectionId
        case .redeem(let c): c.connectionId
        case .refresh(let c): c.connectionId
        case .issueClientToken(let c): ClientCredentials.connectionId(clientId: c.clientId)
        case .revokeAccessToken(let c): c.connectionId
        }
    }

    public var stream: String { Connection.stream(connectionId) }
}

/// What a grant command sees, each part loaded by primary key: the client it names, the code or
/// refresh token it presents, the connection the grant is (or becomes), the access token it revokes.
public struct GrantState: Sendable, Equatable {
    public var client: OAuthClient?
    public var pending: PendingGrant?
    public var refreshToken: RefreshTokenState?
    public var connection: Connection?
    public var accessToken: AccessTokenState?

    public init(
        client: OAuthClient? = nil, pending: PendingGrant? = nil, refreshToken: RefreshTokenState? = nil,
        connection: Connection? = nil, accessToken: AccessTokenState? = nil
    ) {
        self.client = client
        self.pending = pending
        self.refreshToken = refreshToken
        self.connection = connection
        self.accessToken = accessToken
    }
}

/// An access token as revocation needs it.
public struct AccessTokenState: Sendable, Equatable {
    public var jti: String
    public var connectionId: String
    public var revoked: Bool

    public init(jti: String, connectionId: String, revoked: Bool) {
        self.jti = jti
        self.connectionId = connectionId
        self.revoked = revoked
    }
}
