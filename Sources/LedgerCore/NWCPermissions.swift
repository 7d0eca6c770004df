/// NIP-47 method names and UMA's permission groups, expanded as UMA's NWC server expands them
/// (`permissions_grouping.py`), plus the methods every connection gets.
public enum NWCPermissions {
    public static let payInvoice = "pay_invoice"
    public static let payKeysend = "pay_keysend"
    public static let payToAddress = "pay_to_address"
    public static let executeQuote = "execute_quote"
    public static let fetchQuote = "fetch_quote"
    public static let makeInvoice = "make_invoice"
    public static let lookupInvoice = "lookup_invoice"
    public static let getBalance = "get_balance"
    public static let listTransactions = "list_transactions"
    public static let getInfo = "get_info"
    public static let getBudget = "get_budget"
    public static let lookupUser = "lookup_user"

    public static let groups: [String: [String]] = [
        "send_payments": [payInvoice, payKeysend, executeQuote, payToAddress, fetchQuote],
        "receive_payments": [makeInvoice],
        "read_balance": [getBalance],
        "read_transactions": [listTransactions, lookupInvoice],
    ]

    /// Granted with every connection: an app may always ask what it is connected to and what it may spend.
    public static let alwaysGranted = [getInfo, getBudget, lookupUser]

    public static let methods: Set<String> = Set(groups.values.joined()).union(alwaysGranted)

    /// Methods that move money out, and so reserve against the budget.
    public static let spending: Set<String> = [payInvoice, payKeysend, payToAddress, executeQuote]

    public static let requestedMax = 64

    /// The sorted method set for requested permissions; unknown names are refused, naming them.
    public static func expand(_ requested: [String]) throws(ValidationError) -> [String] {
        guard !requested.isEmpty else {
            throw ValidationError(field: "permissions", reason: "Permissions are required.")
        }
        guard requested.count <= requestedMax else {
            throw ValidationError(field: "permissions", reason: "at most \(requestedMax) permissions")
        }
        var granted = Set(alwaysGranted)
        var unknown: [String] = []
        for permission in requested {
            if let group = groups[permission] {
                granted.formUnion(group)
            } else if methods.contains(permission) {
                granted.insert(permission)
            } else {
                unknown.append(String(permission.prefix(64)))
            }
        }
        guard unknown.isEmpty else {
            throw ValidationError(
                field: "permissions",
                reason:
                    "unknown permission\(unknown.count == 1 ? "" : "s") \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); "
                    + "use NWC methods (\(methods.sorted().joined(separator: ", "))) or groups (\(groups.keys.sorted().joined(separator: ", ")))"
            )
        }
        return granted.sorted()
    }
}
