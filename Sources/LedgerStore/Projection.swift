import Crypto
import Foundation
import GRDB
import GRDBSQLite
import LedgerCore

/// A table (or tables) derived from events only. `apply` runs in the same transaction as the
/// append, and again for every event on replay, so it must depend on nothing but the event and
/// the projection's own rows.
public protocol Projection: Sendable {
    var name: String { get }
    /// Tables with the column that orders them canonically, for reset and checksum.
    var tables: [(name: String, orderBy: String)] { get }
    /// `typed` is the event as its own type: as the decider made it, when the writer has it, or
    /// as replay decoded it ahead (`ReplayPipeline`); when it is nil the projection decodes
    /// `event.data` itself. All must give the same rows.
    func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws
    /// A row's values as `checksums` compares them when they are not its stored values (the same
    /// content may be stored two ways, by an earlier version and by this one); nil compares the
    /// row as stored.
    func comparedValues(of row: Row, in table: String, _ db: Database) throws -> [DatabaseValue]?
    /// What `checksums` hashes: per name, the rows of its queries one after the other. By default
    /// each table as it is stored; a projection whose rows moved to another layout hashes them as
    /// the layout before stored them, so that checksums printed before still compare. `events`
    /// names the log's table for queries that join it (a scratch replay's database has its own,
    /// empty, and reads the live one attached).
    func checksumSources(events: String) -> [(name: String, queries: [String])]
    /// How a replay applies this projection (`ProjectionReplay`): nil for `apply`, event by event.
    func makeReplayFold() -> (any ReplayFold)?
}

extension Projection {
    public func makeReplayFold() -> (any ReplayFold)? { nil }
    public func comparedValues(of row: Row, in table: String, _ db: Database) throws -> [DatabaseValue]? { nil }
    public func checksumSources(events: String) -> [(name: String, queries: [String])] {
        tables.map { ($0.name, [storedRowsQuery($0)]) }
    }

    /// A table's rows as stored, in its canonical order: what `checksums` hashes by default.
    func storedRowsQuery(_ table: (name: String, orderBy: String)) -> String {
        "SELECT * FROM \(table.name) ORDER BY \(table.orderBy)"
    }
}

/// The event as one domain's type: from the typed event when there is one (nil when it is
/// another domain's, without looking at its payload), else decoded from the payload.
func domainEvent<Event>(
    _ typed: (any DomainEvent)?, _ event: RecordedEvent, _ fromTyped: (any DomainEvent) -> Event?,
    _ fromPayload: (EventPayload) throws -> Event?
) rethrows -> Event? {
    if let typed { return fromTyped(typed) }
    return try fromPayload(event.payload)
}

/// A stream's folded state as a projection row keeps it: canonical JSON text.
enum StateJSON {
    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try CanonicalJSON.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T? {
        guard let text else { return nil }
        return try CanonicalJSON.decode(T.self, from: Data(text.utf8))
    }
}

/// Every projection the ledger keeps, applied in order.
public struct Projections: Sendable {
    public let all: [any Projection]
    /// Where `AuditRecordsProjection` is in `all`: the writer codes its terms from memory.
    private let auditTrailIndex: Int?
    /// Where `SpendsProjection` is in `all`: the writer keeps the held spends it saves.
    private let spendsIndex: Int?

    public init(all: [any Projection]) {
        self.all = all
        auditTrailIndex = all.firstIndex { $0 is AuditRecordsProjection }
        spendsIndex = all.firstIndex { $0 is SpendsProjection }
    }

    public static let standard = Projections(all: [
        ConnectionsProjection(), AdminCredentialProjection(), TokensProjection(), SpendsProjection(),
        ClientsProjection(), OAuthCodesProjection(), RefreshTokensProjection(), AuditRecordsProjection(),
        NutsProjection(), ObpProjection(),
    ])

    public func apply(_ event: RecordedEvent, typed: (any DomainEvent)? = nil, _ db: Database) throws {
        for projection in all { try projection.apply(event, typed: typed, db) }
    }

    /// As `apply`, with the audit trail's rows made with the writer's `WriterMemory`, the spends'
    /// rows the writer keeps (held ones) told what `SpendsProjection` wrote, and its usage and
    /// totals summed there for the batch's end. Projections
    /// without it keep no spend: nothing writes a row that a kept spend would stand for.
    func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database, memory: WriterMemory) throws {
        for (index, projection) in all.enumerated() {
            if index == auditTrailIndex {
                try AuditRecordsProjection.apply(event, typed: typed, db, memory: memory)
            } else if index == spendsIndex {
                try SpendsProjection.apply(event, typed: typed, db, memory: memory)
                memory.spendsApplied(typed)
            } else {
                try projection.apply(event, typed: typed, db)
            }
        }
    }

    public func reset(_ db: Database) throws {
        for projection in all {
            for table in projection.tables { try db.execute(sql: "DELETE FROM \(table.name)") }
        }
    }

    /// SHA-256 over every row of every projection table in canonical order, each value tagged with
    /// its storage class. Equal checksums mean equal projections, whatever the physical layout.
    ///
    /// Rows are encoded from SQLite's own buffers into one reusable buffer, hashed a block at a
    /// time: copying each row into `DatabaseValue`s (a `String` or `Data` per value) and hashing
    /// it a call per value was a sixth of a replay's time in `perf` (run once the walk is done,
    /// on one core; `verify` runs it twice). The bytes hashed are the same as they were, so a
    /// checksum printed by an earlier version still compares.
    public func checksums(_ db: Database, events: String = "main.events") throws -> [String: String] {
        // The spends' rows read their ids as text through it (the trail's definition does too);
        // here too, so that any connection (a caller's own queue on the file) can compute them.
        try EventKeyStorage.addFunctions(to: db)
        var result: [String: String] = [:]
        var encoding = ChecksumEncoding()
        for projection in all {
            var hasher = SHA256()
            for source in projection.checksumSources(events: events) {
                hasher.append(bytes: Data(source.name.utf8))
                for query in source.queries {
                    if let encoder = projection as? any EncodesChecksumRows,
                        try encoder.encodeChecksumRows(
                            ofQuery: query, events: events, db, into: &encoding, flush: { $0.flush(into: &hasher) })
                    {
                        encoding.flush(into: &hasher)
                        continue
                    }
                    let statement = try db.makeStatement(sql: query)
                    let sqlite = statement.sqliteStatement
                    let columns = sqlite3_column_count(sqlite)
                    let rows = try Row.fetchCursor(statement)
                    while let row = try rows.next() {
                        encoding.bytes.append(0xFF)
                        if let values = try projection.comparedValues(of: row, in: source.name, db) {
                            for value in values { encoding.append(value) }
                        } else {
                            for column in 0..<columns { try encoding.appendColumn(sqlite, column) }
                        }
                        if encoding.bytes.count >= ChecksumEncoding.blockBytes { encoding.flush(into: &hasher) }
                    }
                    encoding.flush(into: &hasher)
                }
            }
            result[projection.name] = Hex.encode(hasher.finalize())
        }
        return result
    }
}

/// A projection that encodes the rows of one of its checksum queries itself, reading them faster
/// than the query: the same bytes `checksums` would encode from the query's rows (the query stays
/// the definition, and the projection's tests hold the two equal).
protocol EncodesChecksumRows {
    /// Appends the rows of `query` to `encoding` as `checksums` encodes a query's rows, calling
    /// `flush` whenever it holds a block's worth, and returns true; false (nothing appended)
    /// when `query` is not one it encodes.
    func encodeChecksumRows(
        ofQuery query: String, events: String, _ db: Database, into encoding: inout ChecksumEncoding,
        flush: (inout ChecksumEncoding) -> Void
    ) throws -> Bool
}

extension Projections {
    /// Starts `checksums` of `pool`'s last committed state on two of its connections at once:
    /// the audit trail's (the largest: a row per event, each read with its event's id and time)
    /// on one, every other projection's on the other. Each projection's checksum is its own, so
    /// the result is `checksums`'. Run on one connection after a replay, they were a fifth of
    /// the replaying thread's samples in `perf`, with the other core idle.
    ///
    /// Called from within `pool.writeWithoutTransaction`, outside a transaction (GRDB's
    /// `asyncConcurrentRead`): both reads see the state as of the call, whatever the writer
    /// commits after it. `value()` waits for both.
    func checksumsStarted(_ pool: DatabasePool) -> ChecksumsInFlight {
        guard let auditTrailIndex, all.count > 1 else {
            return ChecksumsInFlight(parts: [Self.checksumsStarted(self, pool)])
        }
        var others = all
        others.remove(at: auditTrailIndex)
        return ChecksumsInFlight(parts: [
            Self.checksumsStarted(Projections(all: [all[auditTrailIndex]]), pool),
            Self.checksumsStarted(Projections(all: others), pool),
        ])
    }

    private static func checksumsStarted(_ projections: Projections, _ pool: DatabasePool) -> BackgroundResult<[String: String]> {
        BackgroundResult { done in
            pool.asyncConcurrentRead { db in
                done(Result { try Ledger.withScanCache(try db.get()) { try projections.checksums(try db.get()) } })
            }
        }
    }
}

/// `Projections.checksumsStarted`'s reads: `value()` waits for every one, then throws the first
/// error or merges their checksums.
final class ChecksumsInFlight: Sendable {
    private let parts: [BackgroundResult<[String: String]>]

    init(parts: [BackgroundResult<[String: String]>]) { self.parts = parts }

    func value() throws -> [String: String] {
        // Every read waited for, whatever another threw: the pool may close once this returns.
        let outcomes = parts.map { part in Result { try part.value() } }
        var merged: [String: String] = [:]
        for outcome in outcomes { merged.merge(try outcome.get()) { first, _ in first } }
        return merged
    }
}

/// What `Projections.checksums` hashes, laid end to end: per value its storage class's tag, then
/// an integer or a double's bits as 8 bytes big-endian, or text or a blob behind its 4-byte
/// big-endian length (`ProjectionChecksumTests.referenceChecksums` hashes the same bytes one
/// value at a time).
///
/// The bytes are a `GrowableBytes`: with `[UInt8]`'s appends (a generic copy and a uniqueness
/// check each, a dozen or more a row) the appending was three tenths of the trail's checksum
/// thread in `perf`, the tail of a replay. Not copyable: a copy would share the buffer.
struct ChecksumEncoding: ~Copyable {
    static let blockBytes = 1 << 16
    let bytes: GrowableBytes

    init(reservingCapacity capacity: Int = Self.blockBytes + 4096) { bytes = GrowableBytes(capacity: capacity) }

    func flush(into hasher: inout SHA256) {
        hasher.update(bufferPointer: bytes.buffer)
        bytes.removeAll()
    }

    mutating func append(_ value: DatabaseValue) {
        switch value.storage {
        case .null: bytes.append(0)
        case .int64(let int): appendTagged(1, int)
        case .double(let double): appendTagged(2, Int64(bitPattern: double.bitPattern))
        case .string(let string): appendTagged(3, string.utf8)
        case .blob(let data): appendTagged(4, data)
        }
    }

    /// The column as `DatabaseValue(sqliteStatement:index:)` would read it, without making one.
    mutating func appendColumn(_ sqlite: SQLiteStatement, _ column: Int32) throws {
        switch sqlite3_column_type(sqlite, column) {
        case SQLITE_NULL: bytes.append(0)
        case SQLITE_INTEGER: appendTagged(1, sqlite3_column_int64(sqlite, column))
        case SQLITE_FLOAT: appendTagged(2, Int64(bitPattern: sqlite3_column_double(sqlite, column).bitPattern))
        case SQLITE_TEXT:
            // NULL for a text value only when SQLite could not allocate it: better no checksum than
            // a wrong one (GRDB would stop the process here).
            guard let text = sqlite3_column_text(sqlite, column) else { throw DatabaseError(resultCode: .SQLITE_NOMEM) }
            let utf8 = UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(sqlite, column)))
            // GRDB reads text with `String(cString:)`: it stops at a NUL and repairs bad UTF-8.
            // ASCII without a NUL (every text the projections write) reads as its own bytes.
            if utf8.allSatisfy({ $0 != 0 && $0 < 0x80 }) {
                appendTagged(3, utf8)
            } else {
                appendTagged(3, String(cString: text).utf8)
            }
        default:
            let blob = sqlite3_column_blob(sqlite, column)
            let count = blob == nil ? 0 : Int(sqlite3_column_bytes(sqlite, column))
            appendTagged(4, UnsafeRawBufferPointer(start: blob, count: count))
        }
    }

    /// A text value's UTF-8 bytes, as `append` hashes a `.string`.
    mutating func appendText(_ utf8: some Collection<UInt8>) { appendTagged(3, utf8) }

    private mutating func appendTagged(_ tag: UInt8, _ value: Int64) {
        bytes.append(tag)
        bytes.appendBigEndian(value)
    }

    private mutating func appendTagged(_ tag: UInt8, _ content: some Collection<UInt8>) {
        bytes.append(tag)
        bytes.appendBigEndian(UInt32(content.count))
        let bytes = bytes
        if content.withContiguousStorageIfAvailable({ bytes.append(UnsafeRawBufferPointer($0)) }) == nil {
            for byte in content { bytes.append(byte) }
        }
    }
}

extension SHA256 {
    /// A table's name in a checksum: its bytes behind their length, 4 bytes big-endian.
    mutating func append(bytes: Data) {
        withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { update(bufferPointer: $0) }
        update(data: bytes)
    }
}
