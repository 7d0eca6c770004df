import Foundation
import GRDB
import LedgerCore

/// A frozen table of names, each kept as its index there, a BLOB of one byte (issue 15's bytes per
/// event): event types (`EventTypeStorage`), a spend's status and method (`SpendColumnStorage`).
/// A BLOB, not an INTEGER: a TEXT column's affinity would store a number as its digits. A name
/// outside the table, and every row written before the table's migration, stays TEXT: one column
/// holds both, and `name(_:)` reads either.
///
/// A table is frozen like a shipped migration: entries are only ever appended, by a build that
/// comes with a migration of its own, so that a build that could not read a new code refuses the
/// file (`Schema.refuseNewerLedger`).
struct ByteCodeTable: Sendable {
    /// Entry n is the name stored as n.
    let names: [String]
    /// What a code outside the table says it is: "(`kind` code …, not in `table`)".
    private let kind: String
    private let table: String
    private let codes: [String: UInt8]

    init(names: [String], kind: String, table: String) {
        precondition(names.count <= 256, "a code is one byte: \(table) holds at most 256 \(kind) names")
        self.names = names
        self.kind = kind
        self.table = table
        codes = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, UInt8($0.offset)) })
    }

    /// The code of a name in the table, if it is there.
    func code(of name: String) -> UInt8? { codes[name] }

    /// A name as stored: its code, or the text where the table does not name it.
    func stored(_ name: String) -> DatabaseValue {
        codes[name].map { Data([$0]).databaseValue } ?? name.databaseValue
    }

    /// Every form a name may be stored in, for a query: its code (if it has one) and its text.
    func storedForms(of name: String) -> [DatabaseValue] {
        codes[name] == nil ? [name.databaseValue] : [stored(name), name.databaseValue]
    }

    /// A name of the table as an SQL literal of its code, for statements that set it.
    func literal(_ name: String) -> String { "x'\(String(format: "%02x", codes[name]!))'" }

    /// The name a stored value stands for. A code outside the table (a damaged file) reads as
    /// `unknownCodeName`, a name the table cannot hold; nil for a value that is neither.
    func name(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .blob(let code):
            code.count == 1 && Int(code[code.startIndex]) < names.count ? names[Int(code[code.startIndex])] : unknownCodeName(code)
        case .string(let name): name
        default: nil
        }
    }

    /// What a stored code outside the table reads as.
    func unknownCodeName(_ code: some Collection<UInt8>) -> String {
        "(\(kind) code \(Hex.encode(Data(code))), not in \(table))"
    }

    /// SQL that reads a stored column as its name, whichever form it is in.
    func textSQL(_ column: String) -> String {
        let cases = names.map { "WHEN \(literal($0)) THEN '\($0)'" }
        return "CASE \(column) \(cases.joined(separator: " ")) ELSE \(column) END"
    }
}
