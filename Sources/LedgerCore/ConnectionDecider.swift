/// What a connection command does, decided from the current state alone.
public enum ConnectionEvent: Sendable, Equatable {
    case granted(ConnectionGranted)
    case updated(ConnectionUpdated)
    case revoked(ConnectionRevoked)
    case tokenIssued(TokenIssued)

    public var payload: EventPayload {
        get throws { try EventPayload(domainEvent) }
    }

    public var domainEvent: any DomainEvent {
        switch self {
        case .granted(let e): e
        case .updated(let e): e
        case .revoked(let e): e
        case .tokenIssued(let e): e
        }
    }

    public var connectionId: String {
        switch self {
        case .granted(let e): e.connectionId
        case .updated(let e): e.connectionId
        case .revoked(let e): e.connectionId
        case .tokenIssued(let e): e.connectionId
        }
    }

    /// nil for events of other domains.
    public init?(_ event: any DomainEvent) {
        // By the event's type, a pointer compare (every event is a struct): every projection asks
        // every event, and a chain of failed `as?` casts was 4 % of the writer's samples in `perf`.
        switch ObjectIdentifier(Swift.type(of: event)) {
        case ObjectIdentifier(ConnectionGranted.self): self = .granted(event as! ConnectionGranted)
        case ObjectIdentifier(ConnectionUpdated.self): self = .updated(event as! ConnectionUpdated)
        case ObjectIdentifier(ConnectionRevoked.self): self = .revoked(event as! ConnectionRevoked)
        case ObjectIdentifier(TokenIssued.self): self = .tokenIssued(event as! TokenIssued)
        default: return nil
        }
    }

    /// nil for events of other domains.
    public init?(_ payload: EventPayload) throws {
        switch payload.type {
        case ConnectionGranted.type: self = .granted(try payload.decode(as: ConnectionGranted.self))
        case ConnectionUpdated.type: self = .updated(try payload.decode(as: ConnectionUpdated.self))
        case ConnectionRevoked.type: self = .revoked(try payload.decode(as: ConnectionRevoked.self))
        case TokenIssued.type: self = .tokenIssued(try payload.decode(as: TokenIssued.self))
        default: return nil
        }
    }
}

/// The pure state machine of connections: no I/O, the clock passed in.
public enum ConnectionDecider {
    public static func decide(
        _ state: Connection?, _ command: ConnectionCommand, nowMs: Int64
    ) -> Result<[ConnectionEvent], Rejection> {
        switch command {
        case .grant(let grant):
            guard state == nil else {
                return .failure(Rejection(.alreadyExists, "connection \(grant.connectionId) already exists"))
            }
            var events: [ConnectionEvent] = [
                .granted(
                    ConnectionGranted(
                        connectionId: grant.connectionId, userId: grant.userId, name: grant.name,
                        scopes: grant.scopes, budget: grant.budget, expiresAtSec: grant.expiresAtSec,
                        grantedAtMs: nowMs))
            ]
            if let token = grant.token {
                events.append(
                    .tokenIssued(
                        TokenIssued(
                            jti: token.jti, connectionId: grant.connectionId, userId: grant.userId, kind: token.kind,
                            issuedAtMs: nowMs, expiresAtSec: token.expiresAtSec)))
            }
            return .success(events)

        case .update(let update):
            guard let state else { return .failure(notFound(update.connectionId)) }
            guard state.status == .active else {
                return .failure(Rejection(.alreadyRevoked, "connection \(state.id) is revoked and cannot be changed"))
            }
            var event = ConnectionUpdated(connectionId: state.id, updatedAtMs: nowMs)
            if let name = update.name, name != state.name { event.name = name }
            if let scopes = update.scopes, scopes != state.scopes { event.scopes = scopes }
            switch update.budget {
            case .keep: break
            case .set(let budget): if budget != state.budget { event.budget = budget }
            case .remove: if state.budget != nil { event.budgetRemoved = true }
            }
            switch update.expiresAtSec {
            case .keep: break
            case .set(let seconds): if seconds != state.expiresAtSec { event.expiresAtSec = seconds }
            case .remove: if state.expiresAtSec != nil { event.expiryRemoved = true }
            }
            // An update that changes nothing records nothing.
            return .success(event.changesSomething ? [.updated(event)] : [])

        case .revoke(let revoke):
            guard let state else { return .failure(notFound(revoke.connectionId)) }
            guard state.status == .active else {
                return .failure(Rejection(.alreadyRevoked, "connection \(state.id) is already revoked"))
            }
            return .success([
                .revoked(ConnectionRevoked(connectionId: state.id, reason: revoke.reason, revokedAtMs: nowMs))
            ])
        }
    }

    /// Folds one event into the state. `version` is the event's stream version.
    public static func evolve(_ state: Connection?, _ event: ConnectionEvent, version: Int64) -> Connection? {
        switch event {
        case .granted(let e):
            return Connection(
                id: e.connectionId, userId: e.userId, name: e.name, scopes: e.scopes, budget: e.budget,
                expiresAtSec: e.expiresAtSec, status: .active, createdAtMs: e.grantedAtMs,
                updatedAtMs: e.grantedAtMs, revokedAtMs: nil, version: version,
                budgetAnchorMs: e.budget == nil ? nil : e.grantedAtMs, clientId: e.clientId)
        case .updated(let e):
            guard var next = state else { return nil }
            if let name = e.name { next.name = name }
            if let scopes = e.scopes { next.scopes = scopes }
            if let budget = e.budget {
                if let previous = next.budget, budget.keepsUsage(from: previous) {
                    // Only the amount changed: the cycle and its usage carry on.
                } else {
                    next.budgetAnchorMs = e.updatedAtMs
                }
                next.budget = budget
            }
            if e.budgetRemoved == true {
                next.budget = nil
                next.budgetAnchorMs = nil
            }
            if let expiry = e.expiresAtSec { next.expiresAtSec = expiry }
            if e.expiryRemoved == true { next.expiresAtSec = nil }
            next.updatedAtMs = e.updatedAtMs
            next.version = version
            return next
        case .tokenIssued:
            guard var next = state else { return nil }
            next.version = version
            return next
        case .revoked(let e):
            guard var next = state else { return nil }
            next.status = .revoked
            next.revokedAtMs = e.revokedAtMs
            next.updatedAtMs = e.revokedAtMs
            next.version = version
            return next
        }
    }

    private static func notFound(_ id: String) -> Rejection {
        Rejection(.notFound, "no connection with id \(id)")
    }
}

extension ConnectionUpdated {
    init(connectionId: String, updatedAtMs: Int64) {
        self.connectionId = connectionId
        self.updatedAtMs = updatedAtMs
    }

    var changesSomething: Bool {
        name != nil || scopes != nil || budget != nil || budgetRemoved != nil || expiresAtSec != nil
            || expiryRemoved != nil
    }
}
