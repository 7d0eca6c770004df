import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore
import LedgerWallet

/// The UMA Auth API's operations (`specs/uma-auth-api.yml`) with budgets enforced: each checks the
/// connection's scopes, payments go through the one saga, and `get_balance` shows an app its
/// budget rather than the user's wealth (with the `budget` view). Throws `UMARefusal`, or what the
/// ledger could not do at all.
package struct UMAOperations: Sendable {
    package let ledger: Ledger
    package let wallet: any WalletBackend
    package let saga: PaymentSaga
    package let balanceView: NWCSettings.BalanceView

    package init(ledger: Ledger, wallet: any WalletBackend, saga: PaymentSaga, balanceView: NWCSettings.BalanceView) {
        self.ledger = ledger
        self.wallet = wallet
        self.saga = saga
        self.balanceView = balanceView
    }

    var pricing: BudgetPricing { saga.pricing }

    // MARK: Reads and invoices

    /// The one operation that also takes the short-lived user token (seed 000): the NWC image asks
    /// for the user's info before any connection exists.
    package func info(_ caller: Caller) async throws -> GetInfoResponse {
        switch caller {
        case .connection(let auth):
            return try await walletCall { () async throws(WalletError) in
                try await wallet.info(auth.user, methods: auth.connection.scopes)
            }
        case .user(let identity):
            let user = WalletUser(userId: identity.subject, address: identity.address)
            return try await walletCall { () async throws(WalletError) in
                try await wallet.info(user, methods: NWCPermissions.methods.sorted())
            }
        case .admin:
            throw UMARefusal.unauthorized(
                "the admin credential does not act for a user; use a user or connection token")
        }
    }

    package func balance(_ auth: AuthorizedConnection, currencyCode: String?) async throws -> GetBalanceResponse {
        try require(auth, NWCPermissions.getBalance)
        var balance = try await walletCall { () async throws(WalletError) in
            try await wallet.balance(auth.user, currencyCode: currencyCode)
        }
        if balanceView == .budget, let left = try await budgetLeft(auth.connection, in: currencyCode) {
            balance.balance = min(balance.balance, Double(left))
        }
        return balance
    }

    /// What is left of the connection's budget in the cycle it is in now, in the unit `get_balance`
    /// answers in (msat, or the smallest unit of `currencyCode`), rounded down. nil without a
    /// budget. A budget that cannot be priced shows nothing left: the view fails closed.
    func budgetLeft(_ connection: Connection, in currencyCode: String?) async throws -> Int64? {
        guard let budget = connection.budget else { return nil }
        guard let status = try await ledger.budgetStatus(connectionId: connection.id), status.cycle != nil else {
            return 0
        }
        let leftUnits = max(0, budget.limitUnits - status.usage.usedUnits)
        let code = currencyCode?.uppercased()
        if !budget.isBitcoin, code == budget.currency { return leftUnits }
        let leftMsat: Int64
        if budget.isBitcoin {
            leftMsat = leftUnits
        } else {
            guard let rate = await pricing.budgetRate(connection), let msat = rate.msatRoundingDown(units: leftUnits)
            else { return 0 }
            leftMsat = msat
        }
        guard let code else { return leftMsat }
        let rate: ConversionRate?
        do {
            rate = try await pricing.currencyRate(code)
        } catch {
            throw UMARefusal.unpriced(error)
        }
        guard let rate else { return leftMsat }
        return rate.unitsRoundingDown(msat: leftMsat) ?? 0
    }

    package func makeInvoice(_ auth: AuthorizedConnection, _ request: MakeInvoiceRequest) async throws -> Transaction {
        try require(auth, NWCPermissions.makeInvoice)
        guard request.amount > 0, request.amount <= ReserveSpend.amountMsatMax else {
            throw UMARefusal.invalid("amount must be a positive number of msat")
        }
        guard (request.description?.utf8.count ?? 0) <= 639, (request.expiry ?? 1) > 0 else {
            throw UMARefusal.invalid("description must be at most 639 bytes and expiry positive")
        }
        return try await walletCall { () async throws(WalletError) in try await wallet.makeInvoice(auth.user, request) }
    }

    package func lookupInvoice(_ auth: AuthorizedConnection, paymentHash: String) async throws -> Transaction {
        try require(auth, NWCPermissions.lookupInvoice)
        let hash = try Self.paymentHash(paymentHash)
        return try await walletCall { () async throws(WalletError) in
            try await wallet.lookupInvoice(auth.user, paymentHash: hash)
        }
    }

    package func listTransactions(_ auth: AuthorizedConnection, _ query: ListTransactionsQuery) async throws
        -> ListTransactionsResponse
    {
        try require(auth, NWCPermissions.listTransactions)
        return try await walletCall { () async throws(WalletError) in try await wallet.listTransactions(auth.user, query) }
    }

    package func lookupUser(_ auth: AuthorizedConnection, receiverAddress: String, baseSendingCurrencyCode: String?)
        async throws -> LookupUserResponse
    {
        try require(auth, NWCPermissions.lookupUser)
        guard (3...320).contains(receiverAddress.count) else {
            throw UMARefusal.invalid("receiver_address must be an address like $alice@vasp.net")
        }
        return try await walletCall { () async throws(WalletError) in
            try await wallet.lookupUser(
                auth.user, receiverAddress: receiverAddress, baseSendingCurrencyCode: baseSendingCurrencyCode)
        }
    }

    package func fetchQuote(_ auth: AuthorizedConnection, _ query: FetchQuoteQuery) async throws -> Quote {
        try require(auth, NWCPermissions.fetchQuote)
        return try await walletCall { () async throws(WalletError) in try await wallet.fetchQuote(auth.user, query) }
    }

    package func budgetEstimate(
        _ auth: AuthorizedConnection, sendingCurrencyCode: String, sendingCurrencyAmount: Int64,
        budgetCurrencyCode: String
    ) async throws -> BudgetEstimateResponse {
        try require(auth, NWCPermissions.getBudget)
        return BudgetEstimateResponse(
            estimatedBudgetCurrencyAmount: try await walletCall { () async throws(WalletError) in
                try await wallet.budgetEstimate(
                    sendingCurrencyCode: sendingCurrencyCode, sendingCurrencyAmount: sendingCurrencyAmount,
                    budgetCurrencyCode: budgetCurrencyCode)
            })
    }

    // MARK: Payments

    package func payInvoice(_ auth: AuthorizedConnection, _ request: PayInvoiceRequest, _ context: WriteContext)
        async throws -> PayResponse
    {
        let (amountMsat, paymentHash) = try walletCall { () throws(WalletError) in
            try wallet.invoiceAmount(request.invoice, amountMsat: request.amount)
        }
        let (result, total, _) = try await pay(
            auth, NWCPermissions.payInvoice, amountMsat: amountMsat, paymentHash: paymentHash,
            answerCurrencyCode: request.budgetCurrencyCode, context
        ) { () async throws(WalletError) in (try await wallet.payInvoice(auth.user, request), ()) }
        return PayResponse(preimage: result.preimage, totalBudgetCurrencyAmount: total)
    }

    package func payKeysend(_ auth: AuthorizedConnection, _ request: PayKeysendRequest, _ context: WriteContext)
        async throws -> PayResponse
    {
        guard Hex.isHex(request.pubkey, byteCount: 33) else {
            throw UMARefusal.invalid("pubkey must be 66 hex digits (a compressed node key)")
        }
        guard (request.tlvRecords?.count ?? 0) <= 64 else { throw UMARefusal.invalid("at most 64 tlv_records") }
        let (result, total, _) = try await pay(
            auth, NWCPermissions.payKeysend, amountMsat: request.amount, paymentHash: nil,
            answerCurrencyCode: request.budgetCurrencyCode, context
        ) { () async throws(WalletError) in (try await wallet.payKeysend(auth.user, request), ()) }
        return PayResponse(preimage: result.preimage, totalBudgetCurrencyAmount: total)
    }

    package func payToAddress(_ auth: AuthorizedConnection, _ request: PayToAddressRequest, _ context: WriteContext)
        async throws -> PayToAddressResponse
    {
        guard request.sendingCurrencyAmount > 0, request.sendingCurrencyAmount <= ReserveSpend.amountMsatMax else {
            throw UMARefusal.invalid("sending_currency_amount must be positive")
        }
        try require(auth, NWCPermissions.payToAddress)
        let costMsat = try await walletCall { () async throws(WalletError) in
            try await wallet.addressPaymentCostMsat(auth.user, request)
        }
        // The spec: `budget_currency_code` is "optional if it is the same as sending_currency_code".
        let (result, total, quote) = try await pay(
            auth, NWCPermissions.payToAddress, amountMsat: costMsat, paymentHash: nil,
            answerCurrencyCode: request.budgetCurrencyCode ?? request.sendingCurrencyCode, context
        ) { () async throws(WalletError) in try await wallet.payToAddress(auth.user, request) }
        return PayToAddressResponse(preimage: result.preimage, quote: quote, totalBudgetCurrencyAmount: total)
    }

    package func executeQuote(
        _ auth: AuthorizedConnection, paymentHash: String, _ request: ExecuteQuoteRequest, _ context: WriteContext
    ) async throws -> PayResponse {
        let hash = try Self.paymentHash(paymentHash)
        guard let quote = await wallet.knownQuote(paymentHash: hash) else {
            throw UMARefusal.notFound("no quote with payment hash \(hash); fetch it with GET /quote/lud16 first")
        }
        // The quote's whole sending amount (fees included) in msat, rounded up, at the rate of its
        // sending currency: what the reservation holds before the wallet executes it.
        let sendingRate: ConversionRate?
        do {
            sendingRate = try await pricing.currencyRate(quote.sendingCurrency.code)
        } catch {
            throw UMARefusal.unpriced(error)
        }
        guard let costMsat = sendingRate?.msatRoundingUp(units: quote.totalSendingAmount),
            (1...ReserveSpend.amountMsatMax).contains(costMsat)
        else {
            throw UMARefusal.invalid("the quote's sending amount cannot be paid from this connection")
        }
        // As for lud16: without `budget_currency_code` the budget is taken to be in the sending currency.
        let (result, total, _) = try await pay(
            auth, NWCPermissions.executeQuote, amountMsat: costMsat, paymentHash: nil,
            answerCurrencyCode: request.budgetCurrencyCode ?? quote.sendingCurrency.code, context
        ) { () async throws(WalletError) in
            (try await wallet.executeQuote(auth.user, paymentHash: hash, request), ())
        }
        return PayResponse(preimage: result.preimage, totalBudgetCurrencyAmount: total)
    }

    /// The saga around one wallet payment: a wallet refusal releases the hold; a failure after
    /// which the wallet may have paid settles the whole hold, provisionally.
    private func pay<Extra: Sendable>(
        _ auth: AuthorizedConnection, _ method: String, amountMsat: Int64, paymentHash: String?,
        answerCurrencyCode: String?, _ context: WriteContext,
        execute: @escaping @Sendable () async throws(WalletError) -> (PaymentResult, Extra)
    ) async throws -> (PaymentResult, Int64?, Extra) {
        let payment = PaymentSaga.Payment(
            connection: auth.connection, method: method, amountMsat: amountMsat,
            feeReserveMsat: wallet.feeReserveMsat(forAmountMsat: amountMsat), paymentHash: paymentHash,
            answerCurrencyCode: answerCurrencyCode, context: context)
        let outcome = try await saga.pay(payment) { () -> PaymentSaga.Attempt<(PaymentResult, Extra), WalletError> in
            do throws(WalletError) {
                let (result, extra) = try await execute()
                return .paid(amountMsat: result.amountMsat, feeMsat: result.feesPaidMsat, (result, extra))
            } catch {
                return error.outcomeUnknown ? .unknown(error) : .notPaid(error)
            }
        }
        switch outcome {
        case .paid(let (result, extra), let total): return (result, total, extra)
        case .notPaid(let error), .unknown(let error): throw UMARefusal.wallet(error)
        case .denied(let denial): throw UMARefusal.denied(denial)
        case .rejected(let rejection): throw UMARefusal.rejected(rejection)
        case .invalid(let error): throw UMARefusal.invalid(error.description)
        case .unpricedCurrency(let refusal): throw UMARefusal.unpriced(refusal)
        }
    }

    // MARK: Helpers

    private func require(_ auth: AuthorizedConnection, _ method: String) throws(UMARefusal) {
        guard auth.connection.allows(method) else {
            throw .restricted("this connection is not allowed to \(method)")
        }
    }

    static func paymentHash(_ text: String) throws(UMARefusal) -> String {
        guard (1...128).contains(text.count), text.utf8.allSatisfy(Hex.isDigit) else {
            throw .invalid("payment_hash must be hex")
        }
        return text.lowercased()
    }

    private func walletCall<T>(_ call: () async throws(WalletError) -> T) async throws(UMARefusal) -> T {
        do {
            return try await call()
        } catch {
            throw .wallet(error)
        }
    }

    private func walletCall<T>(_ call: () throws(WalletError) -> T) throws(UMARefusal) -> T {
        do {
            return try call()
        } catch {
            throw .wallet(error)
        }
    }
}
