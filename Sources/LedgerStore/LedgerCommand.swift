import Foundation
import GRDB
import LedgerCore

/// A command as the writer runs it: it loads the state it needs from projections (index look-ups,
/// never a scan of history), hands it to a pure decider, and returns the events to append.
public protocol LedgerCommand: Sendable {
    /// For the audit of rejections, e.g. "GrantConnection".
    var name: String { get }
    /// The stream the events go to; `expectedVersion` is checked against it.
    var stream: String { get }
    /// The events to append, typed: projections apply them as they are, without decoding JSON.
    func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection>
}

/// A command plus everything the log records around it. A class, and so shared rather than
/// copied: the writer's queue, its batch and the caller each held a copy of it (a retain and a
/// release of each of its references, twice its metadata's), 2,500 instructions a command under
/// callgrind.
public final class CommandEnvelope: Sendable {
    public let command: any LedgerCommand
    /// Also what a replay will read back from `encodedMetadata`: projections in the writer take
    /// it instead of decoding the JSON (the writer's NEN 7513 mapping did, per event). Its fields
    /// are strings, optional strings and an enum, which the canonical JSON writes as their UTF-8
    /// bytes and reads back as the same bytes, so the value read back is the value written
    /// (`CommandEnvelopeTests` holds that over every kind of text). Reading it back here was 9 %
    /// of the request threads' samples in a keysend load's profile.
    public let metadata: EventMetadata
    /// `metadata` (with `requestDigest`) as the log stores it, encoded by the caller's task so the
    /// one writer does not spend its time on JSON.
    let encodedMetadata: Data
    /// Scoped to the actor by the writer, so two callers cannot collide on a key.
    public let idempotencyKey: String?
    /// Digest of the request that carried the key: a key reused for a different request is refused.
    public let requestDigest: String?
    /// Optimistic concurrency: refuse unless the stream is at exactly this version (0 = new stream).
    public let expectedVersion: Int64?

    public init(
        _ command: any LedgerCommand, metadata: EventMetadata, idempotencyKey: String? = nil,
        requestDigest: String? = nil, expectedVersion: Int64? = nil
    ) throws {
        // A key always travels with a digest of what it names: without the request's own, the
        // command and its stream stand in, so a key reused for another command is never answered
        // with the first one's outcome.
        let requestDigest = requestDigest ?? idempotencyKey.map { _ in "\(command.name) \(command.stream)" }
        var metadata = metadata
        metadata.requestDigest = requestDigest
        self.command = command
        self.metadata = metadata
        self.encodedMetadata = try CanonicalJSON.encode(metadata)
        self.idempotencyKey = idempotencyKey
        self.requestDigest = requestDigest
        self.expectedVersion = expectedVersion
    }
}

public enum CommandOutcome: Sendable, Equatable {
    /// `events` may be empty: a command that changed nothing.
    case accepted(events: [RecordedEvent], replayed: Bool)
    case rejected(Rejection, replayed: Bool)

    public var isReplay: Bool {
        switch self {
        case .accepted(_, let replayed), .rejected(_, let replayed): replayed
        }
    }
}

public struct ConnectionCommandHandler: LedgerCommand {
    public let command: ConnectionCommand

    public init(_ command: ConnectionCommand) { self.command = command }

    public var name: String { command.name }
    public var stream: String { Connection.stream(command.connectionId) }

    public func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        let state = try ConnectionsProjection.fetch(id: command.connectionId, db)
        return ConnectionDecider.decide(state, command, nowMs: nowMs).map { $0.map(\.domainEvent) }
    }
}

public struct SetAdminCredential: LedgerCommand {
    public let tokenSha256: String

    public init(tokenSha256: String) { self.tokenSha256 = tokenSha256 }

    public var name: String { "SetAdminCredential" }
    public var stream: String { AdminCredentialSet.stream }

    public func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        let current = try AdminCredentialProjection.current(db)
        return .success(AdminCredentialDecider.decide(currentSha256: current, newSha256: tokenSha256, nowMs: nowMs))
    }
}
