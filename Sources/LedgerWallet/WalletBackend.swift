import Foundation
import LedgerCore

/// The user a wallet call acts for: the `sub` of a verified token, and the UMA address it carried.
public struct WalletUser: Sendable, Equatable {
    public var userId: String
    public var address: String?

    public init(userId: String, address: String? = nil) {
        self.userId = userId
        self.address = address
    }
}

/// A refusal from a wallet, with the UMA Auth API / NIP-47 error code the caller sees.
public struct WalletError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable, CaseIterable {
        case rateLimited = "RATE_LIMITED"
        case notImplemented = "NOT_IMPLEMENTED"
        case insufficientBalance = "INSUFFICIENT_BALANCE"
        case paymentFailed = "PAYMENT_FAILED"
        case notFound = "NOT_FOUND"
        case quotaExceeded = "QUOTA_EXCEEDED"
        case restricted = "RESTRICTED"
        case unauthorized = "UNAUTHORIZED"
        case `internal` = "INTERNAL"
        case other = "OTHER"
        /// Not a UMA code: the request itself is malformed (answered 400 with code OTHER upstream).
        case badRequest = "BAD_REQUEST"
    }

    public var code: Code
    public var message: String
    /// The request may have reached the wallet and been carried out (it timed out, the connection
    /// broke after sending, the answer could not be read): for a payment, the money may have left.
    public var outcomeUnknown: Bool

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
        self.outcomeUnknown = false
    }

    /// A failure after which nobody knows whether the wallet acted.
    public static func outcomeUnknown(_ message: String) -> WalletError {
        var error = WalletError(.internal, message)
        error.outcomeUnknown = true
        return error
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// An invoice the caller sent that cannot be read or paid as asked: the caller's to fix.
    public init(_ invoiceError: Bolt11Error) { self.init(.badRequest, invoiceError.message) }
}

/// What a payment cost, as the wallet reports it once it has gone through.
public struct PaymentResult: Sendable, Equatable {
    public var preimage: String
    public var amountMsat: Int64
    public var feesPaidMsat: Int64
    /// The wallet's own figure in the budget currency, when it gives one (UMA's
    /// `total_budget_currency_amount`).
    public var totalBudgetCurrencyAmount: Int64?

    public init(preimage: String, amountMsat: Int64, feesPaidMsat: Int64, totalBudgetCurrencyAmount: Int64? = nil) {
        self.preimage = preimage
        self.amountMsat = amountMsat
        self.feesPaidMsat = feesPaidMsat
        self.totalBudgetCurrencyAmount = totalBudgetCurrencyAmount
    }
}

/// The wallet behind the UMA Auth API. The ledger has already verified the token, checked the
/// scope and reserved the budget before any paying method is called; a thrown `WalletError`
/// releases the hold, a returned `PaymentResult` settles it.
///
/// Request and response bodies are the UMA Auth API's JSON shapes (`UMAModels.swift`), so the
/// HTTP upstream can forward them and the demo wallet can answer them the same way.
public protocol WalletBackend: Sendable {
    /// Name for logs and `/health`: "demo" or "upstream".
    var kind: String { get }

    func info(_ user: WalletUser, methods: [String]) async throws(WalletError) -> GetInfoResponse
    func balance(_ user: WalletUser, currencyCode: String?) async throws(WalletError) -> GetBalanceResponse
    func makeInvoice(_ user: WalletUser, _ request: MakeInvoiceRequest) async throws(WalletError) -> Transaction
    func lookupInvoice(_ user: WalletUser, paymentHash: String) async throws(WalletError) -> Transaction
    func listTransactions(_ user: WalletUser, _ query: ListTransactionsQuery) async throws(WalletError)
        -> ListTransactionsResponse

    /// The msat an invoice asks for, read from the BOLT11 string (or `amountMsat` for a 0-amount
    /// invoice), and its payment hash: what the ledger reserves before paying.
    func invoiceAmount(_ invoice: String, amountMsat: Int64?) throws(WalletError) -> (
        amountMsat: Int64, paymentHash: String
    )
    /// What the ledger should hold on top of an amount for routing fees.
    func feeReserveMsat(forAmountMsat amountMsat: Int64) -> Int64

    func payInvoice(_ user: WalletUser, _ request: PayInvoiceRequest) async throws(WalletError) -> PaymentResult
    func payKeysend(_ user: WalletUser, _ request: PayKeysendRequest) async throws(WalletError) -> PaymentResult

    func lookupUser(_ user: WalletUser, receiverAddress: String, baseSendingCurrencyCode: String?)
        async throws(WalletError) -> LookupUserResponse
    func fetchQuote(_ user: WalletUser, _ query: FetchQuoteQuery) async throws(WalletError) -> Quote
    /// A quote fetched earlier through this wallet, for the amount to reserve before executing it.
    func knownQuote(paymentHash: String) async -> Quote?
    func executeQuote(_ user: WalletUser, paymentHash: String, _ request: ExecuteQuoteRequest)
        async throws(WalletError) -> PaymentResult
    /// The msat a lud16 payment will send, for the reservation (before `payToAddress`).
    func addressPaymentCostMsat(_ user: WalletUser, _ request: PayToAddressRequest) async throws(WalletError) -> Int64
    func payToAddress(_ user: WalletUser, _ request: PayToAddressRequest) async throws(WalletError)
        -> (PaymentResult, Quote)

    /// What the smallest unit of `currencyCode` (upper case; never SAT or MSAT, whose rates are
    /// fixed) is worth now, as this wallet prices it. Budgets in that currency are held and charged
    /// at it; `total_budget_currency_amount` is answered in it. A currency the wallet cannot price
    /// is a `WalletError`, and the payment it was asked for is refused.
    func conversionRate(currencyCode: String) async throws(WalletError) -> ConversionRate

    /// The currency's symbol, name and decimals as this wallet describes it (for `get_budget`'s
    /// currency block); nil when it does not know the currency or cannot say now.
    func currency(code: String) async -> Currency?

    /// `budget_estimate`: the cost of sending `sendingCurrencyAmount` (smallest unit of
    /// `sendingCurrencyCode`; "SAT" counts sats) in the smallest unit of `budgetCurrencyCode`.
    func budgetEstimate(sendingCurrencyCode: String, sendingCurrencyAmount: Int64, budgetCurrencyCode: String)
        async throws(WalletError) -> Int64
}
