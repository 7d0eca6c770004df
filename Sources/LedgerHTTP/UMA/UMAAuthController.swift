import Foundation
import Hummingbird
import LedgerApp
import LedgerCore
import LedgerStore
import LedgerWallet

/// The UMA Auth API (`specs/uma-auth-api.yml`) under `/umanwc/v1`: decode, authenticate, call the
/// operation, answer its JSON. Budgets, scopes and the payment saga are `UMAOperations`'.
struct UMAAuthController {
    let operations: UMAOperations
    let authenticator: NWCAuthenticator
    let bodyBytesMax: Int

    func addRoutes(to api: RouterGroup<LedgerRequestContext>) {
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
        let caller = try await authenticator.caller(request, allowUser: true)
        return try JSONResponse.make(.ok, try await operations.info(caller))
    }

    @Sendable func balance(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let code = try QueryParameters(request: request).string("currency_code", maxLength: 5)
        return try JSONResponse.make(.ok, try await operations.balance(auth, currencyCode: code))
    }

    @Sendable func makeInvoice(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let body = try await decode(MakeInvoiceRequest.self, request)
        return try JSONResponse.make(.ok, try await operations.makeInvoice(auth, body))
    }

    @Sendable func lookupInvoice(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let hash = context.parameters.decoded("payment_hash") ?? ""
        return try JSONResponse.make(.ok, try await operations.lookupInvoice(auth, paymentHash: hash))
    }

    @Sendable func listTransactions(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let query = QueryParameters(request: request)
        let listQuery = ListTransactionsQuery(
            from: try query.int64("from"), until: try query.int64("until"),
            limit: try query.int64("limit", range: 1...1000).map(Int.init),
            offset: try query.int64("offset", range: 0...1_000_000).map(Int.init), unpaid: try query.bool("unpaid"),
            type: try query.enumeration("type", TransactionType.self))
        return try JSONResponse.make(.ok, try await operations.listTransactions(auth, listQuery))
    }

    @Sendable func lookupUser(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let address = context.parameters.decoded("receiver_address") ?? ""
        let base = try QueryParameters(request: request).string("base_sending_currency_code", maxLength: 5)
        return try JSONResponse.make(
            .ok, try await operations.lookupUser(auth, receiverAddress: address, baseSendingCurrencyCode: base))
    }

    @Sendable func fetchQuote(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let query = QueryParameters(request: request)
        let quoteQuery = FetchQuoteQuery(
            sendingCurrencyCode: try query.string("sending_currency_code", required: true, maxLength: 5) ?? "",
            receivingCurrencyCode: try query.string("receiving_currency_code", required: true, maxLength: 5) ?? "",
            lockedCurrencyAmount: try query.int64(
                "locked_currency_amount", required: true, range: 1...ReserveSpend.amountMsatMax) ?? 0,
            lockedCurrencySide: try query.enumeration("locked_currency_side", LockedCurrencySide.self, required: true)
                ?? .sending,
            receiverAddress: try query.string("receiver_address", required: true, maxLength: 320) ?? "")
        return try JSONResponse.make(.ok, try await operations.fetchQuote(auth, quoteQuery))
    }

    @Sendable func budgetEstimate(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let query = QueryParameters(request: request)
        let sending = try query.string("sending_currency_code", required: true, maxLength: 5) ?? ""
        let amount =
            try query.int64("sending_currency_amount", required: true, range: 1...ReserveSpend.amountMsatMax) ?? 0
        let budgetCode = try query.string("budget_currency_code", required: true, maxLength: 5) ?? ""
        return try JSONResponse.make(
            .ok,
            try await operations.budgetEstimate(
                auth, sendingCurrencyCode: sending, sendingCurrencyAmount: amount, budgetCurrencyCode: budgetCode))
    }

    // MARK: Payments

    @Sendable func payInvoice(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let body = try await decode(PayInvoiceRequest.self, request)
        return try JSONResponse.make(.ok, try await operations.payInvoice(auth, body, write(request, context, auth)))
    }

    @Sendable func payKeysend(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let body = try await decode(PayKeysendRequest.self, request)
        return try JSONResponse.make(.ok, try await operations.payKeysend(auth, body, write(request, context, auth)))
    }

    @Sendable func payToAddress(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let body = try await decode(PayToAddressRequest.self, request)
        return try JSONResponse.make(.ok, try await operations.payToAddress(auth, body, write(request, context, auth)))
    }

    @Sendable func executeQuote(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let auth = try await authenticator.connection(request)
        let hash = context.parameters.decoded("payment_hash") ?? ""
        let body =
            try await UMABody.decodeIfPresent(
                ExecuteQuoteRequest.self, from: request, bytesMax: bodyBytesMax,
                expected: #"{} or {"budget_currency_code": "…"}"#) ?? ExecuteQuoteRequest()
        return try JSONResponse.make(
            .ok, try await operations.executeQuote(auth, paymentHash: hash, body, write(request, context, auth)))
    }

    // MARK: Helpers

    private func write(_ request: Request, _ context: LedgerRequestContext, _ auth: AuthorizedConnection)
        -> WriteContext
    {
        WriteContext(RequestMetadata.make(request, context: context, caller: .connection(auth), action: .execute))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        try await UMABody.decode(type, from: request, bytesMax: bodyBytesMax).0
    }
}
