import LedgerApp
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerWallet
import Logging
import NIOCore

/// An in-memory LNDhub/Alby-like wallet API to put behind the gateway in demos and tests, like the
/// downstream server of Alby's `cmd/mock_server`.
///
/// The user is whoever `X-GrantLedger-User` names; the mock trusts it, as an origin behind the
/// gateway does. Every user starts with `startingBalanceSat`. Invoices are real BOLT11 strings on
/// regtest (unsigned, see `Bolt11Invoice.encode`), so the gateway can read their amounts.
///
/// To make a payment fail (for testing that the gateway releases its hold): pay a BOLT11 invoice
/// whose description contains "fail", or keysend to the destination "fail". It answers 400
/// `{"error": "payment failed: ..."}` and the balance is unchanged.
///
/// Two Cashu mint routes (NUT-21/22 demo) answer anyone, without the user header:
/// `POST /v1/auth/blind/mint` and `POST /v1/mint/quote/bolt11`.
public enum MockOrigin {
    public struct Settings: Sendable {
        public var startingBalanceSat: Int64
        /// Charged on every payment on top of its amount.
        public var feeSat: Int64
        public var usersMax: Int
        /// Invoices and payments remembered per user; the oldest are forgotten.
        public var historyMax: Int
        public var bodyBytesMax: Int

        public init(
            startingBalanceSat: Int64 = 1_000_000, feeSat: Int64 = 1, usersMax: Int = 10_000, historyMax: Int = 1_000,
            bodyBytesMax: Int = 16 * 1024
        ) {
            precondition(usersMax > 0 && historyMax > 0 && bodyBytesMax > 0, "mock origin bounds must be positive")
            precondition(startingBalanceSat >= 0 && feeSat >= 0, "mock origin amounts must not be negative")
            self.startingBalanceSat = startingBalanceSat
            self.feeSat = feeSat
            self.usersMax = usersMax
            self.historyMax = historyMax
            self.bodyBytesMax = bodyBytesMax
        }
    }

    /// 21 million BTC in sats: no amount above it is real.
    static let amountSatMax: Int64 = Bolt11Invoice.maxAmountMsat / 1000
    static let invoiceExpirySec: Int64 = 3600
    /// The one node every value4value answer names for keysend.
    static let keysendPubkey = "02" + Hex.encode(SHA256.hash(data: Data("grantledger mock origin".utf8)))

    public static func router(settings: Settings = Settings()) -> Router<BasicRequestContext> {
        let accounts = MockOriginAccounts(settings: settings)
        let router = Router(context: BasicRequestContext.self)

        router.get("/balance") { request, _ in
            let user = try callingUser(request)
            return try json(.ok, ["balance": await accounts.balance(of: user)])
        }
        router.post("/invoices") { request, _ in
            let user = try callingUser(request)
            let body = try await decode(CreateInvoice.self, request, settings)
            let amount = body.amount ?? 0
            guard amount >= 0, amount <= amountSatMax else {
                throw failure(.badRequest, "amount must be 0 (any amount) to \(amountSatMax) sats")
            }
            let description = body.description ?? body.memo ?? ""
            guard description.utf8.count <= Bolt11Invoice.maxInlineDescriptionBytes else {
                throw failure(
                    .badRequest, "description must be at most \(Bolt11Invoice.maxInlineDescriptionBytes) bytes")
            }
            let now = Int64(Date().timeIntervalSince1970)
            let hash = Hex.encode(SHA256.hash(data: randomBytes(32)))
            let invoice = MockOriginAccounts.Invoice(
                paymentHash: hash,
                paymentRequest: Bolt11Invoice.encode(
                    network: "bcrt", amountMsat: amount > 0 ? amount * 1000 : nil, timestamp: now, paymentHash: hash,
                    description: description, expirySec: invoiceExpirySec),
                amount: amount, description: description, createdAt: now, expiresAt: now + invoiceExpirySec,
                settled: false, type: "incoming")
            await accounts.addInvoice(invoice, for: user)
            return try json(.created, invoice)
        }
        router.get("/invoices/incoming") { request, _ in
            try json(.ok, await accounts.incoming(of: try callingUser(request)))
        }
        router.get("/invoices/outgoing") { request, _ in
            try json(.ok, await accounts.outgoing(of: try callingUser(request)))
        }
        router.get("/invoices/{payment_hash}") { request, context in
            let user = try callingUser(request)
            let hash = context.parameters.get("payment_hash").flatMap { $0.removingPercentEncoding } ?? ""
            guard Hex.isHex(hash, byteCount: 32) else {
                throw failure(.badRequest, "payment_hash must be 32 bytes of hex")
            }
            guard let found = await accounts.invoice(hash.lowercased(), of: user) else {
                throw failure(.notFound, "no invoice with this payment hash")
            }
            return try json(.ok, found)
        }
        router.get("/user/value4value") { request, _ in
            let user = try callingUser(request)
            return try json(
                .ok,
                [
                    "lightning_address": "\(user)@mock.local", "keysend_pubkey": keysendPubkey,
                    "keysend_custom_key": "696969", "keysend_custom_value": user,
                ])
        }
        router.post("/payments/bolt11") { request, _ in
            let user = try callingUser(request)
            let body = try await decode(PayInvoice.self, request, settings)
            let invoice: Bolt11Invoice
            do throws(Bolt11Error) {
                invoice = try Bolt11Invoice.parse(body.invoice)
            } catch {
                throw failure(.badRequest, "invalid invoice: \(error.message)")
            }
            let amount = try invoiceAmountSat(invoice, requested: body.amount)
            if Int64(Date().timeIntervalSince1970) > invoice.expiresAt {
                throw failure(.badRequest, "invoice expired")
            }
            if invoice.description?.lowercased().contains("fail") == true {
                throw failure(.badRequest, "payment failed: no route found (the mock fails invoices saying \"fail\")")
            }
            let payment = MockOriginAccounts.Payment(
                paymentHash: invoice.paymentHash, paymentPreimage: Hex.encode(randomBytes(32)), amount: amount,
                fee: settings.feeSat, status: "settled", type: "outgoing", destination: nil,
                description: invoice.description, createdAt: Int64(Date().timeIntervalSince1970))
            return try await settle(payment, for: user, accounts)
        }
        router.post("/payments/keysend") { request, _ in
            let user = try callingUser(request)
            let body = try await decode(Keysend.self, request, settings)
            guard body.amount > 0, body.amount <= amountSatMax else {
                throw failure(.badRequest, "amount must be 1 to \(amountSatMax) sats")
            }
            if body.destination == "fail" {
                throw failure(.badRequest, "payment failed: no route found (the mock fails keysends to \"fail\")")
            }
            guard Hex.isHex(body.destination, byteCount: 33) else {
                throw failure(.badRequest, "destination must be a node public key: 33 bytes of hex")
            }
            let preimage = randomBytes(32)
            let payment = MockOriginAccounts.Payment(
                paymentHash: Hex.encode(SHA256.hash(data: preimage)), paymentPreimage: Hex.encode(preimage),
                amount: body.amount, fee: settings.feeSat, status: "settled", type: "outgoing",
                destination: body.destination.lowercased(), description: body.memo,
                createdAt: Int64(Date().timeIntervalSince1970))
            return try await settle(payment, for: user, accounts)
        }

        // Cashu mint (NUT-21 clear auth in front, NUT-22 blind auth): enough for a client to see
        // its request through the gateway and get a quote back.
        router.post("/v1/auth/blind/mint") { request, _ in
            _ = try await bodyBytes(request, settings)
            return try json(.ok, ["signatures": [String]()])
        }
        router.post("/v1/mint/quote/bolt11") { request, _ in
            let body = try await decodeIfPresent(MintQuoteRequest.self, request, settings)
            let amount = body?.amount
            if let amount, amount <= 0 || amount > amountSatMax {
                throw failure(.badRequest, "amount must be 1 to \(amountSatMax) sats")
            }
            let now = Int64(Date().timeIntervalSince1970)
            let hash = Hex.encode(SHA256.hash(data: randomBytes(32)))
            return try json(
                .ok,
                MintQuote(
                    quote: Hex.encode(randomBytes(16)),
                    request: Bolt11Invoice.encode(
                        network: "bcrt", amountMsat: amount.map { $0 * 1000 }, timestamp: now, paymentHash: hash,
                        description: "mock mint quote"),
                    amount: amount, unit: body?.unit ?? "sat", state: "UNPAID", expiry: now + invoiceExpirySec))
        }
        return router
    }

    /// The mock as a server of its own, for `grantledger` demos and live tests.
    public static func buildApplication(
        host: String = "127.0.0.1", port: Int = 0, settings: Settings = Settings(),
        logger: Logger = Logger(label: "grantledger.mock-origin"),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(settings: settings),
            configuration: .init(address: .hostname(host, port: port), serverName: "grantledger-mock-origin"),
            onServerRunning: onServerRunning, logger: logger)
    }

    // MARK: - Request bodies

    struct CreateInvoice: Decodable {
        var amount: Int64?
        var description: String?
        var memo: String?
    }

    struct PayInvoice: Decodable {
        var invoice: String
        var amount: Int64?
    }

    struct Keysend: Decodable {
        var destination: String
        var amount: Int64
        var memo: String?
    }

    struct MintQuoteRequest: Decodable {
        var amount: Int64?
        var unit: String?
    }

    struct MintQuote: Encodable {
        var quote: String
        var request: String
        var amount: Int64?
        var unit: String
        var state: String
        var expiry: Int64
    }

    // MARK: - Helpers

    static let userHeader = HTTPField.Name(GatewayForwarder.userHeader)!

    /// `{"error": message}`, LNDhub's shape.
    static func failure(_ status: HTTPResponse.Status, _ message: String) -> MockOriginFailure {
        MockOriginFailure(status: status, message: message)
    }

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try CanonicalJSON.encode(value))))
    }

    static func callingUser(_ request: Request) throws -> String {
        guard let user = request.headers[userHeader], !user.isEmpty else {
            throw failure(.badRequest, "missing \(GatewayForwarder.userHeader) header: call through the gateway")
        }
        guard user.utf8.count <= GatewayForwarder.identityLengthMax else {
            throw failure(.badRequest, "\(GatewayForwarder.userHeader) is too long")
        }
        return user
    }

    static func bodyBytes(_ request: Request, _ settings: Settings) async throws -> Data {
        do {
            return Data(try await request.body.collect(upTo: settings.bodyBytesMax).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw failure(.contentTooLarge, "the body is larger than \(settings.bodyBytesMax) bytes")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ settings: Settings) async throws -> T {
        guard let value = try await decodeIfPresent(type, request, settings) else {
            throw failure(.badRequest, "the body must be a JSON object")
        }
        return value
    }

    static func decodeIfPresent<T: Decodable>(_ type: T.Type, _ request: Request, _ settings: Settings) async throws
        -> T?
    {
        let data = try await bodyBytes(request, settings)
        guard !data.isEmpty else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw failure(.badRequest, error.explanation)
        }
    }

    /// The invoice's own amount (rounded up to whole sats), or the requested one for an
    /// any-amount invoice; both and different is refused.
    static func invoiceAmountSat(_ invoice: Bolt11Invoice, requested: Int64?) throws -> Int64 {
        if let msat = invoice.amountMsat {
            let sats = (msat + 999) / 1000
            if let requested, requested != sats {
                throw failure(.badRequest, "amount \(requested) differs from the invoice's \(sats) sats")
            }
            return sats
        }
        guard let requested else { throw failure(.badRequest, "the invoice has no amount: give amount in sats") }
        guard requested > 0, requested <= amountSatMax else {
            throw failure(.badRequest, "amount must be 1 to \(amountSatMax) sats")
        }
        return requested
    }

    static func settle(_ payment: MockOriginAccounts.Payment, for user: String, _ accounts: MockOriginAccounts)
        async throws -> Response
    {
        do {
            try await accounts.pay(payment, for: user)
        } catch .alreadyPaid {
            throw failure(.badRequest, "invoice already paid")
        } catch .insufficientBalance(let balance, let needed) {
            throw failure(.badRequest, "insufficient balance: \(balance) sats, \(needed) needed with the fee")
        }
        return try json(.ok, payment)
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        SecretBytes.make(count)
    }
}

/// LNDhub's error shape, `{"error": message}`.
struct MockOriginFailure: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try MockOrigin.json(status, ["error": message])
    }
}
