import Crypto
import Foundation
import LedgerCore
import Logging
import NIOCore
import NIOHTTP1

extension UpstreamWallet {
    public func payInvoice(_ user: WalletUser, _ request: PayInvoiceRequest) async throws(WalletError) -> PaymentResult
    {
        // Parsed here first so a malformed invoice never reaches the upstream.
        let (amountMsat, paymentHash) = try invoiceAmount(request.invoice, amountMsat: request.amount)
        let response = try await call(.POST, "/payments/bolt11", body: request, for: user, as: PayResponse.self)
        return PaymentResult(
            preimage: response.preimage, amountMsat: amountMsat,
            feesPaidMsat: await feesPaidMsat(paymentHash: paymentHash, amountMsat: amountMsat, for: user),
            totalBudgetCurrencyAmount: response.totalBudgetCurrencyAmount)
    }

    public func payKeysend(_ user: WalletUser, _ request: PayKeysendRequest) async throws(WalletError) -> PaymentResult
    {
        let response = try await call(.POST, "/payments/keysend", body: request, for: user, as: PayResponse.self)
        let paymentHash = Hex.decode(response.preimage).map { SHA256.hash(data: $0).hexString }
        return PaymentResult(
            preimage: response.preimage, amountMsat: request.amount,
            feesPaidMsat: await feesPaidMsat(paymentHash: paymentHash, amountMsat: request.amount, for: user),
            totalBudgetCurrencyAmount: response.totalBudgetCurrencyAmount)
    }

    /// The fee the upstream reports for a finished payment. The pay responses carry none, so it is
    /// looked up; if that fails the payment has still happened, and the full reserve is charged:
    /// over-counting a budget is safe, under-counting is not.
    func feesPaidMsat(paymentHash: String?, amountMsat: Int64, for user: WalletUser) async -> Int64 {
        let reserveMsat = feeReserveMsat(forAmountMsat: amountMsat)
        guard let paymentHash else { return reserveMsat }
        do {
            let transaction = try await lookupInvoice(user, paymentHash: paymentHash)
            guard let fees = transaction.feesPaid, fees >= 0 else { return reserveMsat }
            return fees
        } catch {
            logger.notice("fees of a finished payment unknown; charging the reserve", metadata: ["error": "\(error)"])
            return reserveMsat
        }
    }

    // MARK: - UMA addresses

    public func lookupUser(_ user: WalletUser, receiverAddress: String, baseSendingCurrencyCode: String?)
        async throws(WalletError) -> LookupUserResponse
    {
        try await call(
            .GET, "/receiver/lud16/\(Self.encoded(receiverAddress))",
            query: [("base_sending_currency_code", baseSendingCurrencyCode)], for: user)
    }

    public func fetchQuote(_ user: WalletUser, _ query: FetchQuoteQuery) async throws(WalletError) -> Quote {
        let quote = try await call(
            .GET, "/quote/lud16",
            query: [
                ("sending_currency_code", query.sendingCurrencyCode),
                ("receiving_currency_code", query.receivingCurrencyCode),
                ("locked_currency_amount", String(query.lockedCurrencyAmount)),
                ("locked_currency_side", query.lockedCurrencySide.rawValue),
                ("receiver_address", query.receiverAddress),
            ], for: user, as: Quote.self)
        await quoteCache.remember(quote)
        return quote
    }

    public func knownQuote(paymentHash: String) async -> Quote? {
        await quoteCache.quote(paymentHash: paymentHash)
    }

    /// Only quotes fetched through this instance can be executed: their amounts are what the
    /// ledger reserved, and what the result reports in msat.
    public func executeQuote(_ user: WalletUser, paymentHash: String, _ request: ExecuteQuoteRequest)
        async throws(WalletError) -> PaymentResult
    {
        guard let quote = await quoteCache.quote(paymentHash: paymentHash) else {
            throw WalletError(.notFound, "no quote with that payment hash was fetched through this server")
        }
        let (amountMsat, feesMsat) = try await quoteCostMsat(quote, for: user)
        let response = try await call(
            .POST, "/quote/\(Self.encoded(paymentHash))", body: request, for: user, as: PayResponse.self)
        return PaymentResult(
            preimage: response.preimage, amountMsat: amountMsat, feesPaidMsat: feesMsat,
            totalBudgetCurrencyAmount: response.totalBudgetCurrencyAmount)
    }

    public func payToAddress(_ user: WalletUser, _ request: PayToAddressRequest) async throws(WalletError) -> (
        PaymentResult, Quote
    ) {
        // Asked before paying: once the money has moved, a failed estimate must not turn a
        // payment into an error.
        let costMsat = try await addressPaymentCostMsat(user, request)
        let response = try await call(
            .POST, "/payments/lud16", body: request, for: user, as: PayToAddressResponse.self)
        await quoteCache.remember(response.quote)
        let result: PaymentResult
        if let exact = Self.satQuoteCostMsat(response.quote) {
            result = PaymentResult(
                preimage: response.preimage, amountMsat: exact.amountMsat, feesPaidMsat: exact.feesMsat,
                totalBudgetCurrencyAmount: response.totalBudgetCurrencyAmount)
        } else {
            result = PaymentResult(
                preimage: response.preimage, amountMsat: costMsat, feesPaidMsat: 0,
                totalBudgetCurrencyAmount: response.totalBudgetCurrencyAmount)
        }
        return (result, response.quote)
    }

    /// A quote's cost in msat. Exact when it is sent in SAT; otherwise the upstream's estimate of
    /// the whole sending amount, reported as the amount with no separate fee.
    func quoteCostMsat(_ quote: Quote, for user: WalletUser) async throws(WalletError) -> (
        amountMsat: Int64, feesMsat: Int64
    ) {
        if let exact = Self.satQuoteCostMsat(quote) { return exact }
        let totalMsat = try await costMsat(
            sendingCurrencyCode: quote.sendingCurrency.code, units: quote.totalSendingAmount, for: user)
        return (totalMsat, 0)
    }

    static func satQuoteCostMsat(_ quote: Quote) -> (amountMsat: Int64, feesMsat: Int64)? {
        guard quote.sendingCurrency.code.uppercased() == "SAT", quote.totalSendingAmount >= quote.fees,
            quote.fees >= 0, quote.totalSendingAmount <= Int64.max / 1_000
        else { return nil }
        return ((quote.totalSendingAmount - quote.fees) * 1_000, quote.fees * 1_000)
    }
}
