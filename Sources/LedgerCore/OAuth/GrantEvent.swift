/// Every event a grant decision records, typed. Connection facts a grant decides (the connection
/// a redeemed code becomes, its revocation when a code or refresh token comes back, the access
/// tokens it issues) are the connection domain's events, carried as `.connection`.
public enum GrantEvent: Sendable, Equatable {
    case codeIssued(AuthorizationCodeIssued)
    case deviceStarted(DeviceAuthorizationStarted)
    case deviceAnswered(DeviceAuthorizationAnswered)
    case redeemed(GrantRedeemed)
    case replayed(GrantReplayed)
    case refreshIssued(RefreshTokenIssued)
    case refreshRotated(RefreshTokenRotated)
    case refreshReused(RefreshTokenReused)
    case tokenRevoked(TokenRevoked)
    case connection(ConnectionEvent)

    public var domainEvent: any DomainEvent {
        switch self {
        case .codeIssued(let e): e
        case .deviceStarted(let e): e
        case .deviceAnswered(let e): e
        case .redeemed(let e): e
        case .replayed(let e): e
        case .refreshIssued(let e): e
        case .refreshRotated(let e): e
        case .refreshReused(let e): e
        case .tokenRevoked(let e): e
        case .connection(let e): e.domainEvent
        }
    }

    /// nil for events of other domains.
    public init?(_ event: any DomainEvent) {
        // By the event's type, a pointer compare (every event is a struct): every projection asks
        // every event, and a chain of failed `as?` casts was 4 % of the writer's samples in `perf`.
        switch ObjectIdentifier(Swift.type(of: event)) {
        case ObjectIdentifier(AuthorizationCodeIssued.self): self = .codeIssued(event as! AuthorizationCodeIssued)
        case ObjectIdentifier(DeviceAuthorizationStarted.self): self = .deviceStarted(event as! DeviceAuthorizationStarted)
        case ObjectIdentifier(DeviceAuthorizationAnswered.self): self = .deviceAnswered(event as! DeviceAuthorizationAnswered)
        case ObjectIdentifier(GrantRedeemed.self): self = .redeemed(event as! GrantRedeemed)
        case ObjectIdentifier(GrantReplayed.self): self = .replayed(event as! GrantReplayed)
        case ObjectIdentifier(RefreshTokenIssued.self): self = .refreshIssued(event as! RefreshTokenIssued)
        case ObjectIdentifier(RefreshTokenRotated.self): self = .refreshRotated(event as! RefreshTokenRotated)
        case ObjectIdentifier(RefreshTokenReused.self): self = .refreshReused(event as! RefreshTokenReused)
        case ObjectIdentifier(TokenRevoked.self): self = .tokenRevoked(event as! TokenRevoked)
        default:
            guard let connection = ConnectionEvent(event) else { return nil }
            self = .connection(connection)
        }
    }

    /// nil for events of other domains, without decoding them.
    public init?(_ payload: EventPayload) throws {
        switch payload.type {
        case AuthorizationCodeIssued.type: self = .codeIssued(try payload.decode(as: AuthorizationCodeIssued.self))
        case DeviceAuthorizationStarted.type:
            self = .deviceStarted(try payload.decode(as: DeviceAuthorizationStarted.self))
        case DeviceAuthorizationAnswered.type:
            self = .deviceAnswered(try payload.decode(as: DeviceAuthorizationAnswered.self))
        case GrantRedeemed.type: self = .redeemed(try payload.decode(as: GrantRedeemed.self))
        case GrantReplayed.type: self = .replayed(try payload.decode(as: GrantReplayed.self))
        case RefreshTokenIssued.type: self = .refreshIssued(try payload.decode(as: RefreshTokenIssued.self))
        case RefreshTokenRotated.type: self = .refreshRotated(try payload.decode(as: RefreshTokenRotated.self))
        case RefreshTokenReused.type: self = .refreshReused(try payload.decode(as: RefreshTokenReused.self))
        case TokenRevoked.type: self = .tokenRevoked(try payload.decode(as: TokenRevoked.self))
        default:
            guard let connection = try ConnectionEvent(payload) else { return nil }
            self = .connection(connection)
        }
    }
}
