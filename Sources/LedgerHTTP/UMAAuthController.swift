import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore
import LedgerWallet

/// The UMA Auth API (`specs/uma-auth-api.yml`) under `/umanwc/v1`, with budgets enforced: every
/// call verifies the long-lived token and its connection's scope set; payments reserve against
/// the budget before the wallet pays, and settle or release after.
struct UMAAuthController {
    let ledger: Ledger
    let authenticator: NWCAuthenticator
    let wallet: any WalletBackend
    let spends: SpendService
    let bodyBytesMax: Int

    func addRoutes(to router: Router<LedgerRequestContext>) {
        let api = router.group("umanwc/v1")
        api.post("invoice", use: makeInvoice)
        api.post("payments/bolt11", use: payInvoice)
        api.post("payments/lud16", use: payToAddress)
        api.post("payments/keysend", use: payKeysend)
        api.get("invoices/:payment_hash", use: lookupInvoice)
        api.get("balance", use: balance)
        api.get("receiver/lud16/:receiver_address", use: lookupUser)
        api.get("quote/lud16", use: fetchQuote)
        api.post("quote/:payment_hash", use: executeQuote)
        api.get("info", use: info)
        api.get("transactions", use: listTransactions)
        api.get("budget_estimate", use: budgetEstimate)
    }

    // MARK: Reads and invoices

    @Sendable func info(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        // The one route that also takes the short-lived user token (seed 000): the NWC image asks
        // for the user's info before any connection exists.
        let caller = try await authenticator.caller(request, allowUser: true)
        let user: WalletUser
        let methods: [String]
        switch caller {
        case .connection(let auth):
            user = auth.user
            methods = auth.connection.scopes
        case .user(let identity):
            user = WalletUser(userId: identity.subject, address: identity.address)
            methods = NWCPermissions.methods.sorted()
        case .admin:
            throw UMAError.unauthorized("the admin credential does not act for a user; use a user or connection token")
        }
        return try await answer { () async throws(WalletError) in try await wallet.info(user, methods: methods) }
    }

    @Sendable func balance(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authorize(request, NWCPermissions.getBalance)
        let code = try QueryParameters(request: request).string("currency_code", maxLength: 5)
        var balance = try await walletCall { () async throws(WalletError) in
            try await wallet.balance(auth.user, currencyCode: code)
        }
        if spends.settings.balanceView == .budget, let left = try await budgetLeft(auth.connection, in: code) {
            balance.balance = min(balance.balance, Double(left))
        }
        return try JSONResponse.make(.ok, balance)
    }

    /// What is left of the connection's budget in the cycle it is in now, in the unit `get_balance`
    /// answers in (msat, or the smallest unit of `currencyCode`), rounded down. nil without a budget.
    /// A budget that cannot be priced shows nothing left: the balance view fails closed.
    private func budgetLeft(_ connection: Connection, in currencyCode: String?) async throws -> Int64? {
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
            guard let rate = await spends.budgetRate(connection), let msat = rate.msatRoundingDown(units: leftUnits)
            else { return 0 }
            leftMsat = msat
        }
        guard let code else { return leftMsat }
        guard let rate = try await spends.currencyRate(code) else { return leftMsat }
        return rate.unitsRoundingDown(msat: leftMsat) ?? 0
    }

    @Sendable func makeInvoice(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authorize(request, NWCPermissions.makeInvoice)
        let body = try await decode(MakeInvoiceRequest.self, request)
        guard body.amount > 0, body.amount <= ReserveSpend.amountMsatMax else {
            throw UMAError.invalid("amount must be a positive number of msat")
        }
        guard (body.description?.utf8.count ?? 0) <= 639, (body.expiry ?? 1) > 0 else {
            throw UMAError.invalid("description must be at most 639 bytes and expiry positive")
        }
        return try await answer { () async throws(WalletError) in try await wallet.makeInvoice(auth.user, body) }
    }

    @Sendable func lookupInvoice(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authorize(request, NWCPermissions.lookupInvoice)
        let hash = try paymentHash(context)
        return try await answer { () async throws(WalletError) in
            try await wallet.lookupInvoice(auth.user, paymentHash: hash)
        }
    }

    @Sendable func listTransactions(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authorize(request, NWCPermissions.listTransactions)
        let query = QueryParameters(request: request)
        let listQuery = ListTransactionsQuery(
            from: try query.int64("from"), until: try query.int64("until"),
            limit: try query.int64("limit", range: 1...1000).map(Int.init),
            offset: try query.int64("offset", range: 0...1_000_000).map(Int.init), unpaid: try query.bool("unpaid"),
            type: try query.enumeration("type", TransactionType.self))
        return try await answer { () async throws(WalletError) in
            try await wallet.listTransactions(auth.user, listQuery)
        }
    }

    @Sendable func lookupUser(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authorize(request, NWCPermissions.lookupUser)
        guard let address = context.parameters.decoded("receiver_address"), (3...320).contains(address.count) else {
            throw UMAError.invalid("receiver_address must be an address like $alice@vasp.net")
        }
        let base = try QueryParameters(request: request).string("base_sending_currency_code", maxLength: 5)
        return try await answer { () async throws(WalletError) in
            try await wallet.lookupUser(auth.user, receiverAddress: address, baseSendingCurrencyCode: base)
        }
    }

    @Sendable func fetchQuote(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authorize(request, NWCPermissions.fetchQuote)
        let query = QueryParameters(request: request)
        let quoteQuery = FetchQuoteQuery(
            sendingCurrencyCode: try query.string("sending_currency_code", required: true, maxLength: 5) ?? "",
            receivingCurrencyCode: try query.string("receiving_currency_code", required: true, maxLength: 5) ?? "",
            lockedCurrencyAmount: try query.int64(
                "locked_currency_amount", required: true, range: 1...ReserveSpend.amountMsatMax) ?? 0,
            lockedCurrencySide: try query.enumeration("locked_currency_side", LockedCurrencySide.self, required: true)
                ?? .sending,
            receiverAddress: try query.string("receiver_address", required: true, maxLength: 320) ?? "")
        return try await answer { () async throws(WalletError) in try await wallet.fetchQuote(auth.user, quoteQuery) }
    }

    @Sendable func budgetEstimate(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        _ = try await authorize(request, NWCPermissions.getBudget)
        let query = QueryParameters(request: request)
        let sending = try query.string("sending_currency_code", required: true, maxLength: 5) ?? ""
        let amount =
            try query.int64("sending_currency_amount", required: true, range: 1...ReserveSpend.amountMsatMax) ?? 0
        let budgetCode = try query.string("budget_currency_code", required: true, maxLength: 5) ?? ""
        return try await answer { () async throws(WalletError) in
            BudgetEstimateResponse(
                estimatedBudgetCurrencyAmount: try await wallet.budgetEstimate(
                    sendingCurrencyCode: sending, sendingCurrencyAmount: amount, budgetCurrencyCode: budgetCode))
        }
    }

    // MARK: Payments

    @Sendable func payInvoice(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let body = try await decode(PayInvoiceRequest.self, request)
        let (amountMsat, paymentHash) = try walletCall { () throws(WalletError) in
            try wallet.invoiceAmount(body.invoice, amountMsat: body.amount)
        }
        let (result, total) = try await spends.pay(
            auth, method: NWCPermissions.payInvoice, amountMsat: amountMsat, paymentHash: paymentHash,
            answerCurrencyCode: body.budgetCurrencyCode, metadata: metadata(request, context, auth)
        ) { () async throws(WalletError) in try await wallet.payInvoice(auth.user, body) }
        return try paid(result, total: total)
    }

    @Sendable func payKeysend(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let body = try await decode(PayKeysendRequest.self, request)
        guard Hex.isHex(body.pubkey, byteCount: 33) else {
            throw UMAError.invalid("pubkey must be 66 hex digits (a compressed node key)")
        }
        guard (body.tlvRecords?.count ?? 0) <= 64 else { throw UMAError.invalid("at most 64 tlv_records") }
        let (result, total) = try await spends.pay(
            auth, method: NWCPermissions.payKeysend, amountMsat: body.amount, paymentHash: nil,
            answerCurrencyCode: body.budgetCurrencyCode, metadata: metadata(request, context, auth)
        ) { () async throws(WalletError) in try await wallet.payKeysend(auth.user, body) }
        return try paid(result, total: total)
    }

    @Sendable func payToAddress(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let body = try await decode(PayToAddressRequest.self, request)
        guard body.sendingCurrencyAmount > 0, body.sendingCurrencyAmount <= ReserveSpend.amountMsatMax else {
            throw UMAError.invalid("sending_currency_amount must be positive")
        }
        guard auth.connection.allows(NWCPermissions.payToAddress) else {
            throw UMAError.make(.restricted, "this connection is not allowed to pay_to_address")
        }
        let costMsat = try await walletCall { () async throws(WalletError) in
            try await wallet.addressPaymentCostMsat(auth.user, body)
        }
        // The spec: `budget_currency_code` is "optional if it is the same as sending_currency_code".
        let (result, total, paidQuote) = try await spends.pay(
            auth, method: NWCPermissions.payToAddress, amountMsat: costMsat, paymentHash: nil,
            answerCurrencyCode: body.budgetCurrencyCode ?? body.sendingCurrencyCode,
            metadata: metadata(request, context, auth)
        ) { () async throws(WalletError) in try await wallet.payToAddress(auth.user, body) }
        return try JSONResponse.make(
            .ok, PayToAddressResponse(preimage: result.preimage, quote: paidQuote, totalBudgetCurrencyAmount: total))
    }

    @Sendable func executeQuote(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let hash = try paymentHash(context)
        let body =
            try await UMABody.decodeIfPresent(
                ExecuteQuoteRequest.self, from: request, bytesMax: bodyBytesMax,
                expected: #"{} or {"budget_currency_code": "…"}"#) ?? ExecuteQuoteRequest()
        guard let quote = await wallet.knownQuote(paymentHash: hash) else {
            throw UMAError.make(.notFound, "no quote with payment hash \(hash); fetch it with GET /quote/lud16 first")
        }
        // The quote's whole sending amount (fees included) in msat, rounded up, at the rate of its
        // sending currency: what the reservation holds before the wallet executes it.
        guard let sendingRate = try await spends.currencyRate(quote.sendingCurrency.code),
            let costMsat = sendingRate.msatRoundingUp(units: quote.totalSendingAmount),
            (1...ReserveSpend.amountMsatMax).contains(costMsat)
        else {
            throw UMAError.invalid("the quote's sending amount cannot be paid from this connection")
        }
        // As for lud16: without `budget_currency_code` the budget is taken to be in the sending currency.
        let (result, total) = try await spends.pay(
            auth, method: NWCPermissions.executeQuote, amountMsat: costMsat, paymentHash: nil,
            answerCurrencyCode: body.budgetCurrencyCode ?? quote.sendingCurrency.code,
            metadata: metadata(request, context, auth)
        ) { () async throws(WalletError) in try await wallet.executeQuote(auth.user, paymentHash: hash, body) }
        return try paid(result, total: total)
    }

    // MARK: Helpers

    private func authorize(_ request: Request, _ method: String) async throws -> AuthorizedConnection {
        let auth = try await authenticator.connection(request)
        guard auth.connection.allows(method) else {
            throw UMAError.make(.restricted, "this connection is not allowed to \(method)")
        }
        return auth
    }

    private func metadata(_ request: Request, _ context: LedgerRequestContext, _ auth: AuthorizedConnection)
        -> EventMetadata
    {
        RequestMetadata.make(request, context: context, caller: .connection(auth), action: .execute)
    }

    /// The spec's pay answer: the preimage, and the cost in the caller's `budget_currency_code`
    /// when it named one.
    private func paid(_ result: PaymentResult, total: Int64?) throws -> Response {
        try JSONResponse.make(.ok, PayResponse(preimage: result.preimage, totalBudgetCurrencyAmount: total))
    }

    private func paymentHash(_ context: LedgerRequestContext) throws -> String {
        guard let hash = context.parameters.decoded("payment_hash"), (1...128).contains(hash.count),
            hash.utf8.allSatisfy(Hex.isDigit)
        else { throw UMAError.invalid("payment_hash must be hex") }
        return hash.lowercased()
    }

    private func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        try await UMABody.decode(type, from: request, bytesMax: bodyBytesMax).0
    }

    private func answer<T: Encodable & Sendable>(_ call: () async throws(WalletError) -> T) async throws -> Response {
        try JSONResponse.make(.ok, try await walletCall(call))
    }

    private func walletCall<T>(_ call: () async throws(WalletError) -> T) async throws -> T {
        do {
            return try await call()
        } catch {
            throw UMAError.wallet(error)
        }
    }

    private func walletCall<T>(_ call: () throws(WalletError) -> T) throws -> T {
        do {
            return try call()
        } catch {
            throw UMAError.wallet(error)
        }
    }
}
