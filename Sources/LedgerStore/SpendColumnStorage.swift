import GRDB
import LedgerCore

/// How `spends` keeps a spend's status and method (issue 15's bytes per event, spends_codes_v1): a
/// status, and a method named in `methods`, as its one-byte code (`ByteCodeTable`), where
/// 'settled' and 'pay_keysend' took 18 bytes of every spend row. Any other method stays TEXT, and
/// so does every row written before spends_codes_v1; readers take either, and the projection's
/// checksum reads either as its text, so it does not depend on the form.
enum SpendColumnStorage {
    /// Entry n is the status stored as n.
    static let statuses: [Spend.Status] = [.held, .settled, .released, .denied]
    /// Entry n is the method stored as n: NIP-47's methods that pay (`NWCPermissions`), and the
    /// scope the gateway's payment routes reserve under.
    static let methods: [String] = ["pay_invoice", "pay_keysend", "execute_quote", "pay_to_address", "payments:send"]

    private static let statusTable = ByteCodeTable(
        names: statuses.map(\.rawValue), kind: "status", table: "spends_codes_v1")
    private static let methodTable = ByteCodeTable(names: methods, kind: "method", table: "spends_codes_v1")

    /// `status` as stored.
    static func stored(status: Spend.Status) -> DatabaseValue { statusTable.stored(status.rawValue) }

    /// A status as an SQL literal of its stored form, for statements that set it.
    static func literal(_ status: Spend.Status) -> String { statusTable.literal(status.rawValue) }

    /// `method` as stored.
    static func stored(method: String) -> DatabaseValue { methodTable.stored(method) }

    /// The status a stored value stands for, in either form; nil for anything else.
    static func status(_ value: DatabaseValue) -> Spend.Status? {
        statusTable.name(value).flatMap(Spend.Status.init(rawValue:))
    }

    /// The method a stored value stands for. A code outside the table (a damaged file) reads as a
    /// text no method has, which `verify` then names as a projection that differs from a replay.
    static func method(_ value: DatabaseValue) -> String { methodTable.name(value) ?? "" }

    /// SQL that reads each column as its text, whichever form it is in.
    static let statusTextSQL = statusTable.textSQL("status")
    static let methodTextSQL = methodTable.textSQL("method")

    /// A held spend in either form, as `spends_held_by_expiry` declares it (SQLite reads a partial
    /// index only for a query that says what its declaration says).
    static let heldSQL = "status IN ('held', \(literal(.held)))"
}
