import LedgerWallet
import Crypto
import Foundation
import LedgerAuth
import LedgerCore

/// The built-in wallet, so a fresh `make run` can demonstrate real flows without a Lightning node.
///
/// Everything lives in memory and is lost on restart. Each user starts with
/// `startingBalanceMsat` the first time the wallet sees them. Invoices are real BOLT11 strings
/// (unsigned, see `Bolt11Invoice.encode`); paying one that another demo user made moves the money
/// between the two balances. Every method runs without suspending inside the actor, so each call
/// is atomic: a balance check and its debit can never interleave with another payment.
///
/// Failures can be forced for tests: an invoice whose description contains `demo:fail`, a keysend to
/// `failingKeysendPubkey`, or a UMA address named `demo-fail` fails with PAYMENT_FAILED after every
/// other check has passed, without debiting anything.
public actor DemoWallet: WalletBackend {
    public nonisolated let kind = "demo"

    public static let alias = "GrantLedger demo wallet"
    /// A fixed, well-formed compressed pubkey, so `info` answers like a node would.
    public static let nodePubkey = "02" + SHA256.hash(data: Array("GrantLedger demo wallet".utf8)).hexString
    public static let failureMarker = "demo:fail"
    public static let failingKeysendPubkey = String(repeating: "0", count: 66)
    public static let failingAddressName = "demo-fail"
    public static let quoteLifetimeSec: Int64 = 300
    public static let expirySecMax: Int64 = 365 * 24 * 3600
    public static let maxDescriptionBytes = 2_048
    public static let maxTLVRecords = 64

    // Limits on everything held in memory: the process runs for weeks and any caller with a token
    // can add to these, so each collection forgets its oldest entries instead of growing.
    public static let maxUsers = 100_000
    public static let maxTransactionsPerUser = 10_000
    public static let maxInvoices = 100_000
    public static let maxQuotes = 10_000
    public static let listLimitMax = 1_000

    /// A million sats per user: enough to try every budget, obviously not real.
    public static let startingBalanceMsatBounds = SettingBounds(
        default: 1_000_000_000, range: 0...Bolt11Invoice.maxAmountMsat)
    public static let feeMsatBounds = SettingBounds(default: 0, range: 0...1_000_000_000)

    let startingBalanceMsat: Int64
    let feeMsat: Int64
    let network: String
    let networkPrefix: String
    let clock: @Sendable () -> Date
    let rates: ExchangeRates

    var accounts: [String: Account] = [:]
    /// Invoices made here, by payment hash, so a payment can find its receiver.
    var invoices = BoundedMap<String, DemoInvoice>(capacity: maxInvoices)
    var quotes = BoundedMap<String, StoredQuote>(capacity: maxQuotes)
    /// Normalised UMA address → user id, learned from the users the wallet has seen, so a lud16
    /// payment to a demo user's address lands in their balance.
    var addressOwners = BoundedMap<String, String>(capacity: maxUsers)

    struct Account {
        var balanceMsat: Int64
        /// Oldest first.
        var transactions: [Transaction] = []
    }

    struct DemoInvoice {
        var ownerUserId: String
        var preimage: String
        var settled: Bool
    }

    struct StoredQuote {
        var quote: Quote
        var ownerUserId: String
        var receiverAddress: String
        /// What leaves the payer, fee excluded.
        var debitMsat: Int64
        /// What the receiver gets: the quote's receiving amount in msat.
        var creditMsat: Int64
        var preimage: String
        var executed: Bool
    }

    /// - Parameter network: the UMA network name: "regtest", "signet", "testnet" or "mainnet".
    public init(
        startingBalanceMsat: Int64 = DemoWallet.startingBalanceMsatBounds.defaultValue,
        feeMsat: Int64 = DemoWallet.feeMsatBounds.defaultValue, network: String = "regtest",
        clock: @escaping @Sendable () -> Date = Date.init, rates: ExchangeRates = .demo
    ) {
        precondition(startingBalanceMsat >= 0 && feeMsat >= 0, "balances and fees are not negative")
        guard let prefix = Bolt11Invoice.currencyPrefix(forNetwork: network) else {
            preconditionFailure("unknown network '\(network)': use regtest, signet, testnet or mainnet")
        }
        self.startingBalanceMsat = startingBalanceMsat
        self.feeMsat = feeMsat
        self.network = network
        self.networkPrefix = prefix
        self.clock = clock
        self.rates = rates
    }

    var now: Int64 { Int64(clock().timeIntervalSince1970) }

    // MARK: - Reading

    public func info(_ user: WalletUser, methods: [String]) throws(WalletError) -> GetInfoResponse {
        try ensureAccount(user)
        return GetInfoResponse(
            alias: Self.alias, pubkey: Self.nodePubkey, network: network, methods: methods, lud16: user.address,
            currencies: try rates.preferences())
    }

    public func balance(_ user: WalletUser, currencyCode: String?) throws(WalletError) -> GetBalanceResponse {
        let balanceMsat = try ensureAccount(user).balanceMsat
        guard let currencyCode else { return GetBalanceResponse(balance: Double(balanceMsat)) }
        let units = try rates.unitsRoundingDown(forMsat: balanceMsat, of: currencyCode)
        return GetBalanceResponse(balance: Double(units), currency: try rates.rate(currencyCode).currency)
    }

    public func lookupInvoice(_ user: WalletUser, paymentHash: String) throws(WalletError) -> Transaction {
        let transactions = try ensureAccount(user).transactions
        let hash = paymentHash.lowercased()
        // An invoice the user made wins over their own payment of it (a self-payment has both).
        if let incoming = transactions.last(where: { $0.paymentHash == hash && $0.type == .incoming }) {
            return incoming
        }
        guard let outgoing = transactions.last(where: { $0.paymentHash == hash }) else {
            throw WalletError(.notFound, "no invoice or payment with that payment hash")
        }
        return outgoing
    }

    public func listTransactions(_ user: WalletUser, _ query: ListTransactionsQuery) throws(WalletError)
        -> ListTransactionsResponse
    {
        let offset = query.offset ?? 0
        let limit = min(query.limit ?? Self.listLimitMax, Self.listLimitMax)
        guard offset >= 0 else { throw WalletError(.badRequest, "offset must not be negative") }
        guard limit > 0 else { throw WalletError(.badRequest, "limit must be positive") }
        let transactions = try ensureAccount(user).transactions
        // Insertion order is time order, so reversing gives newest first without a sort.
        let matching = transactions.reversed().lazy.filter { transaction in
            if let from = query.from, transaction.createdAt < from { return false }
            if let until = query.until, transaction.createdAt > until { return false }
            if let type = query.type, transaction.type != type { return false }
            // Unpaid invoices are left out unless asked for (NIP-47 `unpaid`, default false).
            if query.unpaid != true, transaction.settledAt == nil { return false }
            return true
        }
        return ListTransactionsResponse(transactions: Array(matching.dropFirst(offset).prefix(limit)))
    }

    // MARK: - Costs, for the ledger's reservations

    public nonisolated func invoiceAmount(_ invoice: String, amountMsat: Int64?) throws(WalletError) -> (
        amountMsat: Int64, paymentHash: String
    ) {
        let parsed = try parseForThisNetwork(invoice)
        return (try Self.amountToPay(parsed, requestedMsat: amountMsat), parsed.paymentHash)
    }

    nonisolated static func amountToPay(_ invoice: Bolt11Invoice, requestedMsat: Int64?) throws(WalletError) -> Int64 {
        do { return try invoice.amountToPay(requestedMsat: requestedMsat) } catch { throw WalletError(error) }
    }

    public nonisolated func feeReserveMsat(forAmountMsat amountMsat: Int64) -> Int64 { feeMsat }

    public func budgetEstimate(sendingCurrencyCode: String, sendingCurrencyAmount: Int64, budgetCurrencyCode: String)
        throws(WalletError) -> Int64
    {
        guard sendingCurrencyAmount > 0 else { throw WalletError(.badRequest, "sending amount must be positive") }
        let msat = try rates.msat(forUnits: sendingCurrencyAmount, of: sendingCurrencyCode)
        return try rates.unitsRoundingUp(forMsat: try add(msat, feeMsat), of: budgetCurrencyCode)
    }

    public nonisolated func currency(code: String) -> Currency? {
        try? rates.rate(code).currency
    }

    public nonisolated func conversionRate(currencyCode: String) throws(WalletError) -> ConversionRate {
        let rate = try rates.rate(currencyCode)
        do {
            return try ConversionRate(currency: rate.currency.code, msat: rate.msatPerUnit, units: 1)
        } catch {
            throw WalletError(.internal, error.description)
        }
    }

    nonisolated func parseForThisNetwork(_ invoice: String) throws(WalletError) -> Bolt11Invoice {
        let parsed: Bolt11Invoice
        do { parsed = try Bolt11Invoice.parse(invoice) } catch { throw WalletError(error) }
        guard parsed.network == networkPrefix else {
            throw WalletError(
                .badRequest, "the invoice is for \(parsed.networkName) but this demo wallet runs on \(network)")
        }
        return parsed
    }

    // MARK: - Accounts

    @discardableResult
    func ensureAccount(_ user: WalletUser) throws(WalletError) -> Account {
        if let address = user.address, let normalized = Self.normalizedAddress(address) {
            addressOwners[normalized] = user.userId
        }
        if let account = accounts[user.userId] { return account }
        guard accounts.count < Self.maxUsers else {
            throw WalletError(.internal, "the demo wallet holds at most \(Self.maxUsers) users")
        }
        let account = Account(balanceMsat: startingBalanceMsat)
        accounts[user.userId] = account
        return account
    }

    func append(_ transaction: Transaction, to userId: String) {
        accounts[userId]?.transactions.append(transaction)
        if let count = accounts[userId]?.transactions.count, count > Self.maxTransactionsPerUser {
            // Drop the oldest tenth at once, so trimming costs O(1) per transaction on average.
            accounts[userId]?.transactions.removeFirst(count - Self.maxTransactionsPerUser * 9 / 10)
        }
    }

    func add(_ a: Int64, _ b: Int64) throws(WalletError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw WalletError(.badRequest, "amount is too large") }
        return sum
    }

    /// Refuses before anything moves when the balance cannot cover `totalMsat`.
    func requireBalance(_ userId: String, covers totalMsat: Int64) throws(WalletError) {
        let balanceMsat = accounts[userId]?.balanceMsat ?? 0
        guard balanceMsat >= totalMsat else {
            throw WalletError(
                .insufficientBalance, "balance of \(balanceMsat) msat does not cover \(totalMsat) msat (amount + fee)")
        }
    }

    /// `$Alice@Host` and `alice@host` name the same receiver. nil for anything not shaped like one.
    static func normalizedAddress(_ address: String) -> String? {
        var text = address.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("$") { text.removeFirst() }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let name = parts.first, let host = parts.last else { return nil }
        let nameChars = Set("abcdefghijklmnopqrstuvwxyz0123456789._+-")
        let hostChars = Set("abcdefghijklmnopqrstuvwxyz0123456789.-:")
        guard (1...64).contains(name.count), name.allSatisfy(nameChars.contains),
            (1...253).contains(host.count), host.allSatisfy(hostChars.contains),
            host.first != ".", host.last != "."
        else { return nil }
        return "\(name)@\(host)"
    }

    static func randomPreimage() -> [UInt8] {
        SecretBytes.make(32)
    }
}
