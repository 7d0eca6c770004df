import Foundation
import LedgerCore

/// Who writes and why: the audit envelope every event carries, and the idempotency of a request
/// that may be retried.
public struct WriteContext: Sendable {
    public var metadata: EventMetadata
    /// Scoped to the actor: the same key from two actors is two requests.
    public var idempotencyKey: String?
    /// Digest of the request that carried the key: the key reused for another request is refused.
    public var requestDigest: String?
    /// Optimistic concurrency: refuse unless the stream is at exactly this version.
    public var expectedVersion: Int64?

    public init(
        _ metadata: EventMetadata, idempotencyKey: String? = nil, requestDigest: String? = nil,
        expectedVersion: Int64? = nil
    ) {
        self.metadata = metadata
        self.idempotencyKey = idempotencyKey
        self.requestDigest = requestDigest
        self.expectedVersion = expectedVersion
    }
}

/// What a decision recorded, typed: the events (none when the command changed nothing), or why it
/// was refused. `replayed` when an idempotency key gave back the first answer.
public enum Decision<Event: Sendable & Equatable>: Sendable, Equatable {
    case recorded([Event], replayed: Bool)
    case rejected(Rejection, replayed: Bool)

    public var isReplay: Bool {
        switch self {
        case .recorded(_, let replayed), .rejected(_, let replayed): replayed
        }
    }
}

/// A creation's answer: the new state, built from the event that opened its stream (no read
/// back), or why it was refused. A replay answers the state as the first request created it.
public enum Creation<State: Sendable & Equatable>: Sendable, Equatable {
    case created(State, replayed: Bool)
    case rejected(Rejection, replayed: Bool)
}

/// A reservation's answer: held, refused by the budget rules (a recorded denial), or rejected
/// before anything was decided about the budget.
public enum SpendReservation: Sendable, Equatable {
    /// `thresholdReached` is the 80 % event recorded with it, if this hold crossed the line.
    case reserved(SpendReserved, thresholdReached: BudgetThresholdReached?, replayed: Bool)
    case denied(SpendDenied, replayed: Bool)
    case rejected(Rejection, replayed: Bool)
}

/// The ledger's writes, named for what they do. Each runs one command through the writer and
/// answers its events typed, as decided (a replayed command's are read back from the log).
extension Ledger {
    // MARK: Spends

    public func reserveSpend(_ command: ReserveSpend, _ context: WriteContext) async throws -> SpendReservation {
        switch try await decide(SpendCommandHandler(.reserve(command)), context, as: SpendEvent.init) {
        case .rejected(let rejection, let replayed): return .rejected(rejection, replayed: replayed)
        case .recorded(let events, let replayed):
            switch events.first {
            case .reserved(let reserved)?:
                let threshold = events.dropFirst().lazy.compactMap { event -> BudgetThresholdReached? in
                    if case .thresholdReached(let e) = event { e } else { nil }
                }.first
                return .reserved(reserved, thresholdReached: threshold, replayed: replayed)
            case .denied(let denied)?: return .denied(denied, replayed: replayed)
            default: throw LedgerError(code: .storage, message: "a reservation recorded \(events)")
            }
        }
    }

    public func settleSpend(_ command: SettleSpend, _ context: WriteContext) async throws -> Decision<SpendEvent> {
        try await decide(SpendCommandHandler(.settle(command)), context, as: SpendEvent.init)
    }

    public func releaseSpend(_ command: ReleaseSpend, _ context: WriteContext) async throws -> Decision<SpendEvent> {
        try await decide(SpendCommandHandler(.release(command)), context, as: SpendEvent.init)
    }

    // MARK: Connections

    public func grantConnection(_ command: GrantConnection, _ context: WriteContext) async throws
        -> Creation<Connection>
    {
        try await create(ConnectionCommandHandler(.grant(command)), context) { event, version in
            ConnectionEvent(event).flatMap { ConnectionDecider.evolve(nil, $0, version: version) }
        }
    }

    public func updateConnection(_ command: UpdateConnection, _ context: WriteContext) async throws
        -> Decision<ConnectionEvent>
    {
        try await decide(ConnectionCommandHandler(.update(command)), context, as: ConnectionEvent.init)
    }

    public func revokeConnection(_ command: RevokeConnection, _ context: WriteContext) async throws
        -> Decision<ConnectionEvent>
    {
        try await decide(ConnectionCommandHandler(.revoke(command)), context, as: ConnectionEvent.init)
    }

    // MARK: OAuth clients and grants

    public func registerClient(_ command: RegisterClient, _ context: WriteContext) async throws
        -> Creation<OAuthClient>
    {
        try await create(ClientCommandHandler(.register(command)), context) { event, version in
            ClientEvent(event).flatMap { ClientDecider.evolve(nil, $0, version: version) }
        }
    }

    public func updateClient(_ command: UpdateClient, _ context: WriteContext) async throws -> Decision<ClientEvent> {
        try await decide(ClientCommandHandler(.update(command)), context, as: ClientEvent.init)
    }

    public func deleteClient(id: String, _ context: WriteContext) async throws -> Decision<ClientEvent> {
        try await decide(ClientCommandHandler(.delete(clientId: id)), context, as: ClientEvent.init)
    }

    /// Every grant decision (issue a code, start or answer a device authorization, redeem, refresh,
    /// issue a client's own token, revoke an access token) goes through `GrantDecider`.
    public func decideGrant(_ command: GrantCommand, _ context: WriteContext) async throws -> Decision<GrantEvent> {
        try await decide(GrantCommandHandler(command), context, as: GrantEvent.init)
    }

    // MARK: Records

    /// A gateway decision, recorded before the origin sees the request.
    public func recordGatewayAccess(_ event: GatewayAccessRecorded, _ context: WriteContext) async throws {
        _ = try await submit(try envelope(RecordGatewayAccess(event), context))
    }

    /// The admin credential's digest (never the credential).
    public func setAdminCredential(sha256: String, _ context: WriteContext) async throws {
        _ = try await submit(try envelope(SetAdminCredential(tokenSha256: sha256), context))
    }

    // MARK: Plumbing

    func envelope(_ command: any LedgerCommand, _ context: WriteContext) throws -> CommandEnvelope {
        try CommandEnvelope(
            command, metadata: context.metadata, idempotencyKey: context.idempotencyKey,
            requestDigest: context.requestDigest, expectedVersion: context.expectedVersion)
    }

    /// Runs the command and types its events: those it just wrote are typed already; a replay's
    /// are read back and decoded.
    func decide<Event>(
        _ command: any LedgerCommand, _ context: WriteContext, as typed: (any DomainEvent) -> Event?
    ) async throws -> Decision<Event> where Event: Sendable & Equatable {
        switch try await submit(try envelope(command, context)) {
        case .rejected(let rejection, let replayed): return .rejected(rejection, replayed: replayed)
        case .accepted(let events, let replayed):
            // By index: mapping the events copied each whole (a retain and a release of each of
            // its references) for the closure.
            let decoded = try events.indices.map { index -> Event in
                if let domainEvent = events[index].domainEvent, let typedEvent = typed(domainEvent) { return typedEvent }
                guard let domainEvent = try Self.decodeAny(events[index].payload), let typedEvent = typed(domainEvent)
                else {
                    throw LedgerError(code: .storage, message: "\(events[index].type) does not belong to \(command.name)")
                }
                return typedEvent
            }
            return .recorded(decoded, replayed: replayed)
        }
    }

    /// Runs a command that opens a stream and folds its first event into the new state.
    func create<State>(
        _ command: any LedgerCommand, _ context: WriteContext,
        state: (any DomainEvent, _ version: Int64) -> State?
    ) async throws -> Creation<State> {
        switch try await submit(try envelope(command, context)) {
        case .rejected(let rejection, let replayed): return .rejected(rejection, replayed: replayed)
        case .accepted(let events, let replayed):
            guard let first = events.first,
                let domainEvent = try first.domainEvent ?? Self.decodeAny(first.payload),
                let created = state(domainEvent, first.streamVersion)
            else { throw LedgerError(code: .storage, message: "\(command.name) recorded no creation") }
            return .created(created, replayed: replayed)
        }
    }

    /// An event read back from the log, as its own type (the one registry replay decodes with).
    static func decodeAny(_ payload: EventPayload) throws -> (any DomainEvent)? {
        try KnownEvents.decode(payload)
    }
}
