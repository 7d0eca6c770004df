import Crypto
import Foundation
import GRDB
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
}

extension Projection {
    public func comparedValues(of row: Row, in table: String, _ db: Database) throws -> [DatabaseValue]? { nil }
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
        return try CanonicalJSON.decoder.decode(T.self, from: Data(text.utf8))
    }
}

/// Every projection the ledger keeps, applied in order.
public struct Projections: Sendable {
    public let all: [any Projection]

    public static let standard = Projections(all: [
        ConnectionsProjection(), AdminCredentialProjection(), TokensProjection(), SpendsProjection(),
        ClientsProjection(), OAuthCodesProjection(), RefreshTokensProjection(), AuditRecordsProjection(),
        NutsProjection(), ObpProjection(),
    ])

    public func apply(_ event: RecordedEvent, typed: (any DomainEvent)? = nil, _ db: Database) throws {
        for projection in all { try projection.apply(event, typed: typed, db) }
    }

    public func reset(_ db: Database) throws {
        for projection in all {
            for table in projection.tables { try db.execute(sql: "DELETE FROM \(table.name)") }
        }
    }

    /// SHA-256 over every row of every projection table in canonical order, each value tagged with
    /// its storage class. Equal checksums mean equal projections, whatever the physical layout.
    public func checksums(_ db: Database) throws -> [String: String] {
        var result: [String: String] = [:]
        for projection in all {
            var hasher = SHA256()
            for table in projection.tables {
                hasher.append(bytes: Data(table.name.utf8))
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table.name) ORDER BY \(table.orderBy)")
                while let row = try rows.next() {
                    hasher.update(data: [0xFF])
                    if let values = try projection.comparedValues(of: row, in: table.name, db) {
                        for value in values { hasher.append(value) }
                    } else {
                        for value in row.databaseValues { hasher.append(value) }
                    }
                }
            }
            result[projection.name] = Hex.encode(hasher.finalize())
        }
        return result
    }
}

extension SHA256 {
    mutating func append(_ value: DatabaseValue) {
        switch value.storage {
        case .null:
            update(data: [0])
        case .int64(let int):
            update(data: [1])
            append(int)
        case .double(let double):
            update(data: [2])
            append(Int64(bitPattern: double.bitPattern))
        case .string(let string):
            update(data: [3])
            append(bytes: Data(string.utf8))
        case .blob(let data):
            update(data: [4])
            append(bytes: data)
        }
    }
}
