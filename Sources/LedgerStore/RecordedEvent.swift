import Foundation
import GRDB
import LedgerCore

/// One row of the event log, exactly as stored.
public struct RecordedEvent: Sendable, Equatable {
    /// The typed event this row was written from, when this process wrote it just now (callers
    /// read it without decoding the JSON the writer has just encoded), or replay decoded it
    /// ahead. nil for rows read back otherwise. Not part of the row, so not part of equality.
    public internal(set) var domainEvent: (any DomainEvent)?
    /// Its `meta` decoded, when the writer has it from the command's envelope or replay decoded
    /// it ahead; nil for rows read back otherwise. Not part of the row, so not part of equality.
    var storedMetadata: EventMetadata?
    /// Its NEN 7513 record row, when replay prepared it on its second core; nil otherwise. Not
    /// part of the row, so not part of equality.
    var auditRow: AuditRecordsProjection.Row?

    public var seq: Int64
    public var eventId: String
    public var idempotencyKey: String?
    public var stream: String
    public var streamVersion: Int64
    public var type: String
    public var typeVersion: Int
    public var data: Data
    public var meta: Data
    public var recordedAtMs: Int64
    public var prevHash: Data
    public var hash: Data

    public var payload: EventPayload { EventPayload(type: type, typeVersion: typeVersion, data: data) }

    public static func == (a: RecordedEvent, b: RecordedEvent) -> Bool {
        a.seq == b.seq && a.eventId == b.eventId && a.idempotencyKey == b.idempotencyKey && a.stream == b.stream
            && a.streamVersion == b.streamVersion && a.type == b.type && a.typeVersion == b.typeVersion
            && a.data == b.data && a.meta == b.meta && a.recordedAtMs == b.recordedAtMs && a.prevHash == b.prevHash
            && a.hash == b.hash
    }

    /// The envelope's metadata, read as the log's own JSON (`CanonicalJSON.decode`: the tape
    /// decoder, Foundation's where it refuses), without a fresh `JSONDecoder` per call.
    public func metadata() throws -> EventMetadata {
        try CanonicalJSON.decode(EventMetadata.self, from: meta)
    }

    /// The columns as stored. Since event_links_v1 a row's `prev_hash` is NULL (it is the hash
    /// of the row before, which that row holds): a walk in `seq` order reads these and passes
    /// each row the hash of the one before (`init(row:previousHash:)`).
    static let columns =
        "seq, event_id, idempotency_key, stream, stream_version, type, type_version, data, meta, recorded_at, prev_hash, hash"

    /// The same columns for reading rows out of order (by stream, by id, one by seq): a NULL
    /// `prev_hash` is looked up in the row before (a search of the primary key), and the first
    /// row's is the genesis hash.
    static let selectColumns = columns.replacingOccurrences(
        of: "prev_hash", with: "COALESCE(prev_hash, (SELECT p.hash FROM events AS p WHERE p.seq = events.seq - 1), zeroblob(32))")

    /// Reads by position: replay decodes millions of rows and column-name look-ups show up there.
    /// `previousHash` stands for a `prev_hash` the row does not store: the hash of the row read
    /// before it, in `seq` order.
    init(row: Row, previousHash: Data? = nil) throws {
        try self.init(stored: StoredEventRow(row: row), previousHash: previousHash)
    }

    /// A row copied out of SQLite as stored (`StoredEventRow`), decoded wherever the copy went:
    /// the keys' and type's text from their stored forms, `data` and `meta` from their stored
    /// (perhaps compact) bytes, `prev_hash` from the row or the row before.
    init(stored: StoredEventRow, previousHash: Data?) throws {
        try self.init(
            seq: stored.seq, eventId: EventKeyStorage.eventId(stored.eventId), idempotencyKey: stored.idempotencyKey,
            stream: EventKeyStorage.stream(stored.stream), streamVersion: stored.streamVersion,
            type: EventTypeStorage.name(stored.type), typeVersion: stored.typeVersion,
            recordedAtMs: stored.recordedAtMs, storedPrevHash: stored.prevHash, hash: stored.hash,
            previousHash: previousHash
        ) { prefix in
            // Copied: an event may be kept (an idempotent retry answers with every event of the
            // first command).
            let data = stored.data.map { Self.json($0, prefix: prefix) } ?? Data()
            return (data, stored.meta.map { Self.json($0, prefix: prefix, previous: data) } ?? Data())
        }
    }

    /// Row `index` of rows a replay's reading thread copied (`PackedEventRows`), decoded as
    /// `init(stored: StoredEventRow(columns:), previousHash:)` would decode the same row, from the
    /// copied bytes where they lie: the keys' text, `data` and `meta` without a `Data` of their
    /// stored bytes first.
    init(packed rows: PackedEventRows, at index: Int, previousHash: Data?) throws {
        let row = rows.rows[index]
        try self.init(
            seq: row.seq, eventId: rows.keyText(row.eventId, EventKeyStorage.appendEventIdText(ofBlob:to:)),
            idempotencyKey: rows.optionalText(row.idempotencyKey),
            stream: rows.keyText(row.stream, EventKeyStorage.appendStreamText(ofBlob:to:)),
            streamVersion: row.streamVersion, type: EventTypeStorage.name(rows.databaseValue(row.type)),
            typeVersion: Int(truncatingIfNeeded: row.typeVersion), recordedAtMs: row.recordedAtMs,
            storedPrevHash: rows.optionalData(row.prevHash), hash: rows.optionalData(row.hash) ?? Data(),
            previousHash: previousHash
        ) { prefix in
            let data = rows.optionalBytes(row.data).map { Self.json($0, prefix: prefix) } ?? Data()
            return (data, rows.optionalBytes(row.meta).map { Self.json($0, prefix: prefix, previous: data) } ?? Data())
        }
    }

    /// What both readings share: the keys and type as read (nil for a value that is none), and
    /// `data` and `meta` worked out by `decodeBodies` from the row's `contextPrefix`.
    private init(
        seq: Int64, eventId: String?, idempotencyKey: String?, stream: String?, streamVersion: Int64, type: String?,
        typeVersion: Int, recordedAtMs: Int64, storedPrevHash: Data?, hash: Data, previousHash: Data?,
        decodeBodies: (_ prefix: [UInt8]) -> (data: Data, meta: Data)
    ) throws {
        self.seq = seq
        // A UUID may be kept as its 16 bytes (`EventKeyStorage`); the event holds the text.
        guard let eventId, let stream, let type else {
            throw LedgerError(code: .storage, message: "event \(seq) has no event_id, stream or type")
        }
        self.eventId = eventId
        self.idempotencyKey = idempotencyKey
        self.stream = stream
        self.streamVersion = streamVersion
        self.type = type
        self.typeVersion = typeVersion
        self.recordedAtMs = recordedAtMs
        (data, meta) = decodeBodies(EventStorageCodec.contextPrefix(stream: stream, recordedAtMs: recordedAtMs))
        if let storedPrevHash {
            prevHash = storedPrevHash
        } else if let previousHash {
            prevHash = previousHash
        } else {
            throw LedgerError(code: .storage, message: "event \(seq) was read without the hash of the event before it")
        }
        self.hash = hash
    }

    /// The canonical JSON of a stored column: copied, or decoded when stored compact. Compact
    /// bytes that do not decode (a damaged file) are given as stored: the row's hash then fails
    /// and `verify` names its seq, as for any other damaged row, instead of stopping the walk.
    /// `prefix` is the row's `EventStorageCodec.contextPrefix`; `previous` its `data`, for `meta`.
    static func json(_ borrowed: Data, prefix: [UInt8], previous: Data = Data()) -> Data {
        borrowed.withUnsafeBytes { json($0, prefix: prefix, previous: previous) }
    }

    static func json(_ stored: UnsafeRawBufferPointer, prefix: [UInt8], previous: Data = Data()) -> Data {
        (try? EventStorageCodec.json(stored, prefix: prefix, previous: previous)) ?? Data(stored)
    }

    /// `data` or `meta` as the table keeps them: compact (a BLOB) where the codec packs them.
    /// `compact`: what `EventStorageCodec.compactRow` gave for it.
    static func stored(_ json: Data, compact: Data?) -> any DatabaseValueConvertible {
        compact ?? String(decoding: json, as: UTF8.self)
    }

    init(
        seq: Int64, eventId: String, idempotencyKey: String?, stream: String, streamVersion: Int64,
        type: String, typeVersion: Int, data: Data, meta: Data, recordedAtMs: Int64, prevHash: Data
    ) {
        self.seq = seq
        self.eventId = eventId
        self.idempotencyKey = idempotencyKey
        self.stream = stream
        self.streamVersion = streamVersion
        self.type = type
        self.typeVersion = typeVersion
        self.data = data
        self.meta = meta
        self.recordedAtMs = recordedAtMs
        self.prevHash = prevHash
        self.hash = Data()
        self.hash = EventHasher.hash(of: self)
    }

    /// Appends the row, its arguments bound straight into SQLite (`executeInPlace`: inside a
    /// transaction only, as every append is). GRDB's `execute(arguments:)` here was about a
    /// twentieth of the writer's own samples under keysend load. GRDB does not hear of the row:
    /// an observer of `events` must read at commit (a `ValueObservation` of the table would never
    /// fire); the ledger's own watch of the head is fed by the writer (`HeadWatch`).
    ///
    /// `storedStream`: `EventKeyStorage.stored(stream: stream)`, where the caller has it.
    static let insertStatement = StatementSlot("INSERT INTO events (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")

    func insert(_ db: Database, storedStream: DatabaseValue? = nil) throws {
        let prefix = EventStorageCodec.contextPrefix(stream: stream, recordedAtMs: recordedAtMs)
        let compact = EventStorageCodec.compactRow(data: data, meta: meta, prefix: prefix)
        let storedData = Self.stored(data, compact: compact.data).databaseValue
        let storedMeta = Self.stored(meta, compact: compact.meta).databaseValue
        try Self.insertStatement.run(db) { statement in
            try statement.executeInPlace(
                .int64(seq), .value(EventKeyStorage.stored(eventId: eventId)), .optional(idempotencyKey),
                .value(storedStream ?? EventKeyStorage.stored(stream: stream)), .int64(streamVersion),
                .value(EventTypeStorage.stored(type: type)), .int64(Int64(typeVersion)), .value(storedData),
                .value(storedMeta), .int64(recordedAtMs),
                // prev_hash is the hash of the row before, which that row holds (event_links_v1).
                .null, .value(hash.databaseValue))
        }
    }
}
