import Foundation
import GRDB
import LedgerCore

/// Runs one command inside the writer's transaction: idempotency, optimistic concurrency,
/// decision, append, projections. Throwing rolls the command's savepoint back.
enum CommandRunner {
    /// Bounds the events one command may append, and so what an idempotent replay reads back.
    /// A reported batch of 1,000 accesses is one command (all or nothing), so 1,024.
    static let eventsPerCommandMax = 1024

    static func run(
        _ envelope: CommandEnvelope, _ db: Database, head: inout ChainHead, nowMs: Int64, projections: Projections,
        memory: WriterMemory
    ) throws -> CommandOutcome {
        let scopedKey = envelope.idempotencyKey.map { "\(envelope.metadata.actor.id):\($0)" }
        if let scopedKey, let original = try originalOutcome(key: scopedKey, digest: envelope.requestDigest, db) {
            return original
        }
        let meta = envelope.encodedMetadata

        let command = envelope.command
        let olderStreamForms = try memory.olderStreamForms(db)
        let (currentVersion, storedCommandStream) = try streamPosition(command.stream, db, older: olderStreamForms)
        let decision: Result<[any DomainEvent], Rejection>
        if let expected = envelope.expectedVersion, expected != currentVersion {
            decision = .failure(
                Rejection(.versionConflict, "\(command.stream) is at version \(currentVersion), not \(expected)"))
        } else {
            // A spend reads its connection through the writer's memory, and needs no look-up of
            // itself in a stream still empty; the protocol's `decide` cannot name `WriterMemory`
            // (public protocol, package type).
            if let spend = command as? SpendCommandHandler {
                decision = try spend.decide(db, nowMs: nowMs, memory: memory, streamVersion: currentVersion)
            } else {
                decision = try command.decide(db, nowMs: nowMs)
            }
        }

        let stream: String
        let storedStream: DatabaseValue
        let firstVersion: Int64
        let events: [any DomainEvent]
        switch decision {
        case .success(let decided):
            guard decided.count <= eventsPerCommandMax else {
                throw LedgerError(code: .storage, message: "\(command.name) produced \(decided.count) events")
            }
            stream = command.stream
            storedStream = storedCommandStream
            firstVersion = currentVersion + 1
            events = decided
        case .failure(let rejection):
            stream = CommandRejected.stream(for: command.stream)
            let rejections = try streamPosition(stream, db, older: olderStreamForms)
            storedStream = rejections.stored
            firstVersion = rejections.version + 1
            events = [CommandRejected(command: command.name, targetStream: command.stream, rejection: rejection)]
        }

        var recorded: [RecordedEvent] = []
        var random = IdentifierRandomness()
        for (offset, domainEvent) in events.enumerated() {
            let payload = try EventPayload(domainEvent)
            // Made and inserted by a function that returns it: a variable here was copied whole
            // into `recorded` (a retain and a release of each of its references), a constant moves.
            let event = try inserted(
                RecordedEvent(
                    seq: head.seq + 1,
                    eventId: TimeOrderedID.make(unixMs: nowMs, random: (random.next(), random.next())),
                    idempotencyKey: offset == 0 ? scopedKey : nil, stream: stream,
                    streamVersion: firstVersion + Int64(offset), type: payload.type, typeVersion: payload.typeVersion,
                    data: payload.data, meta: meta, recordedAtMs: nowMs, prevHash: head.hash),
                storedStream: storedStream, metadata: envelope.metadata, typed: domainEvent, db)
            try projections.apply(event, typed: domainEvent, db, memory: memory)
            memory.applied(eventType: event.type)
            head = ChainHead(seq: event.seq, hash: event.hash, recordedAtMs: event.recordedAtMs)
            recorded.append(consume event)
        }
        if case .failure(let rejection) = decision { return .rejected(rejection, replayed: false) }
        return .accepted(events: recorded, replayed: false)
    }

    /// The event appended to the log, with what the projections and the answer read from it.
    private static func inserted(
        _ event: consuming RecordedEvent, storedStream: DatabaseValue, metadata: EventMetadata,
        typed: any DomainEvent, _ db: Database
    ) throws -> RecordedEvent {
        try event.insert(db, storedStream: storedStream)
        event.storedMetadata = metadata
        event.domainEvent = typed
        return event
    }

    /// The stream's last version, over rows that keep it packed and rows from before that keep
    /// the text: one search of the `(stream, stream_version)` index per form, in one statement
    /// (a statement per form was 5 % of the writer's samples in a keysend load's profile). Each
    /// form's `MAX` is a subquery of its own, each the search the statement per form made.
    ///
    /// Only the forms the log may hold are searched (`OlderStreamForms`, which the writer's memory
    /// keeps): in a log written since event_stream_prefixes_v1, one.
    ///
    /// With the version, the stream as its next row keeps it (the insert takes it from here rather
    /// than working it out again).
    static func streamPosition(_ stream: String, _ db: Database, older: OlderStreamForms) throws -> (
        version: Int64, stored: DatabaseValue
    ) {
        let forms = EventKeyStorage.storedForms(ofStream: stream, older: older)
        if forms.count == 1 {
            let version = try oneFormStreamVersion.run(db) { try $0.readFirst(.value(forms[0])) { $0.int64(0) } } ?? 0
            return (version, forms[0])
        }
        let last = forms.count - 1
        let version =
            try streamVersion.run(db) { statement in
                try statement.readFirst(.value(forms[0]), .value(forms[min(1, last)]), .value(forms[min(2, last)])) {
                    $0.int64(0)
                }
            } ?? 0
        return (version, forms[0])
    }

    static let oneFormStreamVersionSQL = "SELECT IFNULL(MAX(stream_version), 0) FROM events WHERE stream = ?"
    static let oneFormStreamVersion = StatementSlot(oneFormStreamVersionSQL)

    /// Two or three forms (`EventKeyStorage.storedForms(ofStream:older:)`), the last repeated.
    static let streamVersionSQL = """
        SELECT max(
          IFNULL((SELECT MAX(stream_version) FROM events WHERE stream = ?1), 0),
          IFNULL((SELECT MAX(stream_version) FROM events WHERE stream = ?2), 0),
          IFNULL((SELECT MAX(stream_version) FROM events WHERE stream = ?3), 0))
        """
    static let streamVersion = StatementSlot(streamVersionSQL)

    /// The answer a command with this key got the first time, rebuilt from the events it appended
    /// (they are contiguous and share the request id).
    static func originalOutcome(key: String, digest: String?, _ db: Database) throws -> CommandOutcome? {
        let firstRow = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(RecordedEvent.selectColumns) FROM events WHERE idempotency_key = ?"),
            arguments: [key])
        guard let firstRow else { return nil }
        let first = try RecordedEvent(row: firstRow)
        let firstMeta = try first.metadata()
        // A missing digest on either side is a different request too: a replay must be of the same one.
        guard digest == firstMeta.requestDigest else { throw LedgerError.idempotencyKeyReused }
        if first.type == CommandRejected.type {
            return .rejected(try first.payload.decode(as: CommandRejected.self).rejection, replayed: true)
        }
        var events = [first]
        let following = try Row.fetchCursor(
            db, sql: "SELECT \(RecordedEvent.selectColumns) FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
            arguments: [first.seq, eventsPerCommandMax - 1])
        while let row = try following.next() {
            let event = try RecordedEvent(row: row)
            guard event.idempotencyKey == nil, try event.metadata().requestId == firstMeta.requestId else { break }
            events.append(event)
        }
        return .accepted(events: events, replayed: true)
    }
}
