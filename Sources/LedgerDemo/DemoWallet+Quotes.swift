import LedgerWallet
import LedgerCore
import Crypto
import Foundation

extension DemoWallet {
    public func lookupUser(_ user: WalletUser, receiverAddress: String, baseSendingCurrencyCode: String?)
        throws(WalletError) -> LookupUserResponse
    {
        _ = try receiver(receiverAddress)
        return LookupUserResponse(currencies: try rates.preferences(baseSendingCurrencyCode: baseSendingCurrencyCode))
    }

    /// A quote for a payment to a UMA address. The flat fee is added on top of the sending amount
    /// (`fees`, in sending units, rounded up), and the receiver's side is rounded down, so the demo
    /// never promises more than the payer's money buys.
    public func fetchQuote(_ user: WalletUser, _ query: FetchQuoteQuery) throws(WalletError) -> Quote {
        let address = try receiver(query.receiverAddress)
        guard query.lockedCurrencyAmount > 0 else {
            throw WalletError(.badRequest, "locked_currency_amount must be positive")
        }
        let sending = try rates.rate(query.sendingCurrencyCode)
        let receiving = try rates.rate(query.receivingCurrencyCode)
        try ensureAccount(user)

        let sendingUnits: Int64
        let receivingUnits: Int64
        switch query.lockedCurrencySide {
        case .sending:
            sendingUnits = query.lockedCurrencyAmount
            let msat = try rates.msat(forUnits: sendingUnits, of: sending.currency.code)
            receivingUnits = try rates.unitsRoundingDown(forMsat: msat, of: receiving.currency.code)
            guard receivingUnits > 0 else {
                throw WalletError(.badRequest, "too small to deliver one unit of \(receiving.currency.code)")
            }
        case .receiving:
            receivingUnits = query.lockedCurrencyAmount
            let msat = try rates.msat(forUnits: receivingUnits, of: receiving.currency.code)
            sendingUnits = try rates.unitsRoundingUp(forMsat: msat, of: sending.currency.code)
        }
        let feeUnits = try rates.unitsRoundingUp(forMsat: feeMsat, of: sending.currency.code)
        let createdAt = now
        let preimage = Self.randomPreimage()
        let quote = Quote(
            sendingCurrency: sending.currency, receivingCurrency: receiving.currency,
            paymentHash: SHA256.hash(data: preimage).hexString, expiresAt: createdAt + Self.quoteLifetimeSec,
            multiplier: Double(receiving.msatPerUnit) / Double(sending.msatPerUnit), fees: feeUnits,
            totalSendingAmount: try add(sendingUnits, feeUnits), totalReceivingAmount: receivingUnits,
            createdAt: createdAt)
        quotes[quote.paymentHash] = StoredQuote(
            quote: quote, ownerUserId: user.userId, receiverAddress: address,
            debitMsat: try rates.msat(forUnits: sendingUnits, of: sending.currency.code),
            creditMsat: try rates.msat(forUnits: receivingUnits, of: receiving.currency.code),
            preimage: preimage.hexString, executed: false)
        return quote
    }

    public func knownQuote(paymentHash: String) -> Quote? {
        quotes[paymentHash.lowercased()]?.quote
    }

    /// Debits the sending amount in msat plus the flat fee, and credits the receiver when the
    /// address belongs to a user this wallet has seen.
    public func executeQuote(_ user: WalletUser, paymentHash: String, _ request: ExecuteQuoteRequest)
        throws(WalletError) -> PaymentResult
    {
        let hash = paymentHash.lowercased()
        // Another user's quote is reported as missing, not as someone else's.
        guard let stored = quotes[hash], stored.ownerUserId == user.userId else {
            throw WalletError(.notFound, "no quote with that payment hash")
        }
        let totalMsat = try add(stored.debitMsat, feeMsat)
        let budgetCurrencyAmount = try request.budgetCurrencyCode.map { code throws(WalletError) in
            try rates.unitsRoundingUp(forMsat: totalMsat, of: code)
        }
        try ensureAccount(user)
        let paidAt = now
        guard !stored.executed else { throw WalletError(.paymentFailed, "quote already executed") }
        guard stored.quote.expiresAt >= paidAt else { throw WalletError(.paymentFailed, "quote expired") }
        try requireBalance(user.userId, covers: totalMsat)
        if stored.receiverAddress.hasPrefix(Self.failingAddressName + "@") {
            throw WalletError(.paymentFailed, "the receiver \(stored.receiverAddress) always fails (demo failure)")
        }

        accounts[user.userId]?.balanceMsat -= totalMsat
        quotes[hash]?.executed = true
        append(
            Transaction(
                type: .outgoing, description: "UMA payment to $\(stored.receiverAddress)", preimage: stored.preimage,
                paymentHash: hash, amount: stored.debitMsat, feesPaid: feeMsat, createdAt: paidAt, settledAt: paidAt),
            to: user.userId)
        if let receiverId = addressOwners[stored.receiverAddress], let receiver = accounts[receiverId] {
            accounts[receiverId]?.balanceMsat = receiver.balanceMsat.saturatingAdding(stored.creditMsat)
            append(
                Transaction(
                    type: .incoming, description: "UMA payment", preimage: stored.preimage, paymentHash: hash,
                    amount: stored.creditMsat, createdAt: paidAt, settledAt: paidAt),
                to: receiverId)
        }
        return PaymentResult(
            preimage: stored.preimage, amountMsat: stored.debitMsat, feesPaidMsat: feeMsat,
            totalBudgetCurrencyAmount: budgetCurrencyAmount)
    }

    /// The whole debit: the sending amount in msat plus the fee.
    public func addressPaymentCostMsat(_ user: WalletUser, _ request: PayToAddressRequest) throws(WalletError) -> Int64
    {
        _ = try receiver(request.receiverAddress)
        guard request.sendingCurrencyAmount > 0 else {
            throw WalletError(.badRequest, "sending_currency_amount must be positive")
        }
        if let receivingCode = request.receivingCurrencyCode { _ = try rates.rate(receivingCode) }
        let msat = try rates.msat(forUnits: request.sendingCurrencyAmount, of: request.sendingCurrencyCode)
        return try add(msat, feeMsat)
    }

    public func payToAddress(_ user: WalletUser, _ request: PayToAddressRequest) throws(WalletError) -> (
        PaymentResult, Quote
    ) {
        let quote = try fetchQuote(
            user,
            FetchQuoteQuery(
                sendingCurrencyCode: request.sendingCurrencyCode,
                receivingCurrencyCode: request.receivingCurrencyCode ?? defaultReceivingCurrencyCode,
                lockedCurrencyAmount: request.sendingCurrencyAmount, lockedCurrencySide: .sending,
                receiverAddress: request.receiverAddress))
        let result = try executeQuote(
            user, paymentHash: quote.paymentHash, ExecuteQuoteRequest(budgetCurrencyCode: request.budgetCurrencyCode))
        return (result, quote)
    }

    /// Demo receivers prefer the first currency of the table.
    var defaultReceivingCurrencyCode: String { rates.rates.first?.currency.code ?? "SAT" }

    /// Every well-formed address exists in the demo; a malformed one is a receiver nobody has.
    private func receiver(_ address: String) throws(WalletError) -> String {
        guard let normalized = Self.normalizedAddress(address) else {
            throw WalletError(.notFound, "no receiver at '\(address.prefix(100))'")
        }
        return normalized
    }
}

extension Int64 {
    /// Balances only grow by what was paid in, but a misconfigured starting balance must not crash.
    func saturatingAdding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
