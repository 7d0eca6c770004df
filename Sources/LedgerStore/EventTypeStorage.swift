import Foundation
import GRDB
import LedgerCore

/// How the log keeps an event's `type` (issue 15's bytes per event): a name in the frozen table
/// `schema/event_types_v1.json` as its index there, a BLOB of one byte, where the names took 12
/// to 29 (a BLOB, not an INTEGER: the column's TEXT affinity would store a number as its digits).
/// Any other name stays TEXT, and so does every row written before event_types_v1: one column
/// holds both, and readers turn either into the name, which is what the chain's hash is over
/// (`EventHasher`), so a row's hash does not depend on the form.
///
/// The table is frozen like a shipped migration: entries are only ever appended, and the build
/// that appends one comes with a migration of its own, so that a build that could not name the
/// new code refuses the file (`Schema.refuseNewerLedger`). A type this build writes that is not
/// in the table is stored as text: nothing breaks, it only takes its bytes.
enum EventTypeStorage {
    /// Entry n is the name stored as n.
    static let table: ByteCodeTable = {
        let names: [String]
        do {
            names = try JSONDecoder().decode([String].self, from: Data(PackageResources.event_types_v1_json))
        } catch {
            fatalError("schema/event_types_v1.json is not a JSON array of strings: \(error)")
        }
        return ByteCodeTable(names: names, kind: "type", table: "event_types_v1")
    }()

    static var names: [String] { table.names }

    /// The names' UTF-8, for the chain check, which reads the column without making strings (a
    /// row at a time, without reference counting).
    static let nameTable = FlatTextTable(names.map { Array($0.utf8) })

    /// `type` as stored.
    static func stored(type: String) -> DatabaseValue { table.stored(type) }

    /// The code of a name in the table, if it is there.
    static func code(ofType type: String) -> UInt8? { table.code(of: type) }

    /// Every form a type may be stored in, for a query: its code (if it has one) and its name.
    static func storedForms(ofType type: String) -> [DatabaseValue] { table.storedForms(of: type) }

    /// The name a stored `type` stands for. A code outside the table (a damaged file) reads as
    /// `unknownCodeName`: no event has that name, so the row's hash fails and `verify` names its
    /// seq, as for any other damaged row. nil for a value that is neither.
    static func name(_ value: DatabaseValue) -> String? { table.name(value) }

    /// What a stored code outside the table reads as: a name no event has.
    static func unknownCodeName(_ code: some Collection<UInt8>) -> String { table.unknownCodeName(code) }
}
