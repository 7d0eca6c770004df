import AsyncHTTPClient
import Crypto
import Foundation
import LedgerCore
import Logging
import NIOCore
import NIOHTTP1

/// Forwards each wallet call to a real UMA Auth API (`https://vasp.example/umanwc/v1`), with this
/// server's own credential and a header naming the user it acts for.
///
/// The upstream answers in the UMA Auth API's JSON, so requests and responses pass through as the
/// shared models; what the ledger needs beyond them (msat amounts and fees of a payment) is read
/// locally from the BOLT11 invoice or asked of the upstream's `/budget_estimate`.
public struct UpstreamWallet: WalletBackend {
    public let kind = "upstream"

    let baseURL: String
    let upstreamToken: String
    let userHeaderName: String
    let httpClient: HTTPClient
    let timeout: TimeAmount
    let maxResponseBytes: Int
    let feeReserve: FeeReservePolicy
    let logger: Logger
    let quoteCache = UpstreamQuoteCache()
    let rateCache: UpstreamRateCache

    /// - Parameters:
    ///   - baseURL: the API root, e.g. `https://vasp.example/umanwc/v1` (a trailing `/` is ignored).
    ///   - upstreamToken: sent as `Authorization: Bearer …`; never logged nor put in an error.
    ///   - userHeaderName: the header naming the user each call acts for.
    ///   - timeout: for a whole call, body included.
    ///   - maxResponseBytes: larger answers are refused rather than buffered.
    ///   - rateLifetimeSec: how long a currency's price, once asked, is used for new payments.
    public init(
        baseURL: String, upstreamToken: String, userHeaderName: String = "X-User-Id",
        httpClient: HTTPClient = .shared, timeout: TimeAmount = .seconds(30), maxResponseBytes: Int = 1 << 20,
        feeReserve: FeeReservePolicy = .default, rateLifetimeSec: TimeInterval = 60,
        logger: Logger = Logger(label: "grantledger.wallet.upstream")
    ) {
        self.rateCache = UpstreamRateCache(lifetimeSec: rateLifetimeSec)
        var root = baseURL
        while root.hasSuffix("/") { root.removeLast() }
        self.baseURL = root
        self.upstreamToken = upstreamToken
        self.userHeaderName = userHeaderName
        self.httpClient = httpClient
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.feeReserve = feeReserve
        self.logger = logger
    }

    // MARK: - Reading

    /// `methods` is the ledger's list for this connection, not the upstream's: the grant decides
    /// what the caller may do.
    public func info(_ user: WalletUser, methods: [String]) async throws(WalletError) -> GetInfoResponse {
        var info = try await call(.GET, "/info", for: user, as: GetInfoResponse.self)
        info.methods = methods
        return info
    }

    public func balance(_ user: WalletUser, currencyCode: String?) async throws(WalletError) -> GetBalanceResponse {
        try await call(.GET, "/balance", query: [("currency_code", currencyCode)], for: user)
    }

    public func makeInvoice(_ user: WalletUser, _ request: MakeInvoiceRequest) async throws(WalletError) -> Transaction
    {
        try await call(.POST, "/invoice", body: request, for: user)
    }

    public func lookupInvoice(_ user: WalletUser, paymentHash: String) async throws(WalletError) -> Transaction {
        try await call(.GET, "/invoices/\(Self.encoded(paymentHash))", for: user)
    }

    public func listTransactions(_ user: WalletUser, _ query: ListTransactionsQuery) async throws(WalletError)
        -> ListTransactionsResponse
    {
        let items: [(String, String?)] = [
            ("from", query.from.map(String.init)), ("until", query.until.map(String.init)),
            ("limit", query.limit.map(String.init)), ("offset", query.offset.map(String.init)),
            ("unpaid", query.unpaid.map(String.init)), ("type", query.type?.rawValue),
        ]
        return try await call(.GET, "/transactions", query: items, for: user)
    }

    // MARK: - Costs

    public func invoiceAmount(_ invoice: String, amountMsat: Int64?) throws(WalletError) -> (
        amountMsat: Int64, paymentHash: String
    ) {
        do {
            let parsed = try Bolt11Invoice.parse(invoice)
            return (try parsed.amountToPay(requestedMsat: amountMsat), parsed.paymentHash)
        } catch {
            throw WalletError(error)
        }
    }

    public func feeReserveMsat(forAmountMsat amountMsat: Int64) -> Int64 {
        feeReserve.reserveMsat(forAmountMsat: amountMsat)
    }

    public func budgetEstimate(sendingCurrencyCode: String, sendingCurrencyAmount: Int64, budgetCurrencyCode: String)
        async throws(WalletError) -> Int64
    {
        // The upstream's budget is per user, but the estimate is not: it is sent for no one in
        // particular, under the server's own name.
        try await estimate(
            sendingCurrencyCode: sendingCurrencyCode, sendingCurrencyAmount: sendingCurrencyAmount,
            budgetCurrencyCode: budgetCurrencyCode, for: WalletUser(userId: "grantledger"))
    }

    /// The upstream speaks no rates, only `budget_estimate`, and an estimate may include a fee
    /// (our own demo wallet's does). So the price is the estimate of two bitcoin minus that of
    /// one: a fixed fee cancels out, and the rate is the currency's, not the currency's plus a fee
    /// that would round every small payment up by a unit more.
    public func conversionRate(currencyCode: String) async throws(WalletError) -> ConversionRate {
        let code = currencyCode.uppercased()
        switch await rateCache.price(code) {
        case .rate(let rate)?: return rate
        case .refused(let error)?: throw error
        case nil: break
        }
        let one: Int64
        let two: Int64
        do {
            one = try await budgetEstimate(
                sendingCurrencyCode: "SAT", sendingCurrencyAmount: Self.satPerBitcoin, budgetCurrencyCode: code)
            two = try await budgetEstimate(
                sendingCurrencyCode: "SAT", sendingCurrencyAmount: 2 * Self.satPerBitcoin, budgetCurrencyCode: code)
        } catch {
            // The upstream said no to this currency (not that it is unreachable): that answer
            // stands for a while. Outages are not remembered; the next payment asks again.
            if error.code == .badRequest || error.code == .notFound || error.code == .other {
                await rateCache.remember(.refused(error), for: code)
            }
            throw error
        }
        guard one > 0, two > 0 else {
            throw WalletError(.internal, "the upstream's budget_estimate for \(code) is not a positive amount")
        }
        // An upstream whose estimates do not grow with the amount is not pricing linearly; its
        // estimate of one bitcoin is then the safer (dearer) rate. Both are positive, so the
        // difference cannot overflow.
        let unitsPerBitcoin = two > one ? two - one : one
        let rate: ConversionRate
        do {
            rate = try ConversionRate(currency: code, msat: Self.satPerBitcoin * 1_000, units: unitsPerBitcoin)
        } catch {
            throw WalletError(.internal, "the upstream priced one bitcoin at \(unitsPerBitcoin) \(code)")
        }
        await rateCache.remember(.rate(rate), for: code)
        return rate
    }

    static let satPerBitcoin: Int64 = 100_000_000

    /// From the upstream's `/info` currencies, asked under the server's own name and kept as long
    /// as a rate is.
    public func currency(code: String) async -> Currency? {
        let upper = code.uppercased()
        if let known = await rateCache.currencies() { return known.first { $0.code == upper } }
        guard let info = try? await call(.GET, "/info", for: WalletUser(userId: "grantledger"), as: GetInfoResponse.self)
        else { return nil }
        let currencies = (info.currencies ?? []).map(\.currency)
        await rateCache.remember(currencies: currencies)
        return currencies.first { $0.code == upper }
    }

    public func addressPaymentCostMsat(_ user: WalletUser, _ request: PayToAddressRequest) async throws(WalletError)
        -> Int64
    {
        try await costMsat(
            sendingCurrencyCode: request.sendingCurrencyCode, units: request.sendingCurrencyAmount, for: user)
    }

    func estimate(
        sendingCurrencyCode: String, sendingCurrencyAmount: Int64, budgetCurrencyCode: String, for user: WalletUser
    ) async throws(WalletError) -> Int64 {
        let response = try await call(
            .GET, "/budget_estimate",
            query: [
                ("sending_currency_code", sendingCurrencyCode),
                ("sending_currency_amount", String(sendingCurrencyAmount)),
                ("budget_currency_code", budgetCurrencyCode),
            ], for: user, as: BudgetEstimateResponse.self)
        return response.estimatedBudgetCurrencyAmount
    }

    /// msat for an amount in a currency: exact for SAT, otherwise the upstream's estimate in SAT.
    func costMsat(sendingCurrencyCode: String, units: Int64, for user: WalletUser) async throws(WalletError) -> Int64 {
        let sats =
            sendingCurrencyCode.uppercased() == "SAT"
            ? units
            : try await estimate(
                sendingCurrencyCode: sendingCurrencyCode, sendingCurrencyAmount: units, budgetCurrencyCode: "SAT",
                for: user)
        let (msat, overflow) = sats.multipliedReportingOverflow(by: 1_000)
        guard !overflow, sats >= 0 else {
            throw WalletError(.internal, "upstream estimate of \(sats) sat is out of range")
        }
        return msat
    }
}
