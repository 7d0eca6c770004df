import Foundation
import GRDB
import LedgerCore

/// How `spends` keeps a spend's status and method (issue 15's bytes per event, spends_codes_v1):
/// the status as its index in `statuses`, and a method named in `methods` as its index there, each
/// a BLOB of one byte, where 'settled' and 'pay_keysend' took 18 bytes of every spend row (a BLOB,
/// not an INTEGER: the columns' TEXT affinity would store a number as its digits, a text again).
/// Any other method stays TEXT, and so does every row written before
/// spends_codes_v1: one column holds both, readers take either, and the projection's checksum
/// reads either as its text (`textSQL`), so it does not depend on the form.
///
/// Both tables are frozen like a shipped migration: entries are only ever appended, by a build
/// that comes with a migration of its own, so that a build that could not read a new code refuses
/// the file (`Schema.refuseNewerLedger`).
enum SpendColumnStorage {
    /// Entry n is the status stored as n.
    static let statuses: [Spend.Status] = [.held, .settled, .released, .denied]
    /// Entry n is the method stored as n: NIP-47's methods that pay (`NWCPermissions`), and the
    /// scope the gateway's payment routes reserve under.
    static let methods: [String] = ["pay_invoice", "pay_keysend", "execute_quote", "pay_to_address", "payments:send"]

    private static let statusCodes: [Spend.Status: DatabaseValue] = Dictionary(
        uniqueKeysWithValues: statuses.enumerated().map { ($0.element, Data([UInt8($0.offset)]).databaseValue) })
    private static let methodCodes: [String: DatabaseValue] = Dictionary(
        uniqueKeysWithValues: methods.enumerated().map { ($0.element, Data([UInt8($0.offset)]).databaseValue) })

    /// `status` as stored.
    static func stored(status: Spend.Status) -> DatabaseValue { statusCodes[status]! }

    /// A status as an SQL literal of its stored form, for statements that set it.
    static func literal(_ status: Spend.Status) -> String { "x'\(String(format: "%02x", statuses.firstIndex(of: status)!))'" }

    /// `method` as stored.
    static func stored(method: String) -> DatabaseValue { methodCodes[method] ?? method.databaseValue }

    /// The status a stored value stands for, in either form; nil for anything else.
    static func status(_ value: DatabaseValue) -> Spend.Status? {
        switch value.storage {
        case .blob(let code): code.count == 1 ? statuses[safe: Int(code[code.startIndex])] : nil
        case .string(let text): Spend.Status(rawValue: text)
        default: nil
        }
    }

    /// The method a stored value stands for. A code outside the table (a damaged file) reads as a
    /// text no method has, which `verify` then names as a projection that differs from a replay.
    static func method(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .blob(let code):
            code.count == 1 ? methods[safe: Int(code[code.startIndex])] ?? unknown(code) : unknown(code)
        case .string(let text): text
        default: ""
        }
    }

    private static func unknown(_ code: Data) -> String { "(method code \(Hex.encode(code)), not in spends_codes_v1)" }

    /// SQL that reads a stored column as its text, whichever form it is in.
    static func textSQL(_ column: String, _ names: [String]) -> String {
        let cases = names.enumerated().map { "WHEN x'\(String(format: "%02x", $0.offset))' THEN '\($0.element)'" }
        return "CASE \(column) \(cases.joined(separator: " ")) ELSE \(column) END"
    }
    static let statusTextSQL = textSQL("status", statuses.map(\.rawValue))
    static let methodTextSQL = textSQL("method", methods)

    /// A held spend in either form, as `spends_held_by_expiry` declares it (SQLite reads a partial
    /// index only for a query that says what its declaration says).
    static let heldSQL = "status IN ('held', \(literal(.held)))"
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
