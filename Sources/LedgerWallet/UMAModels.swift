import Foundation

// The UMA Auth API's JSON shapes (specs/uma-auth-api.yml), field for field. Amounts are msat
// unless a name says otherwise; times are unix seconds.

public struct Currency: Codable, Sendable, Equatable {
    public var code: String
    public var symbol: String
    public var name: String
    public var decimals: Int

    public init(code: String, symbol: String, name: String, decimals: Int) {
        self.code = code
        self.symbol = symbol
        self.name = name
        self.decimals = decimals
    }
}

public struct CurrencyPreference: Codable, Sendable, Equatable {
    public var currency: Currency
    /// Estimated msat per smallest unit of the currency (or per unit of the base sending currency).
    public var multiplier: Double
    public var min: Int64
    public var max: Int64

    public init(currency: Currency, multiplier: Double, min: Int64, max: Int64) {
        self.currency = currency
        self.multiplier = multiplier
        self.min = min
        self.max = max
    }
}

public enum TransactionType: String, Codable, Sendable {
    case incoming, outgoing
}

public struct Transaction: Codable, Sendable, Equatable {
    public var type: TransactionType
    public var invoice: String?
    public var description: String?
    public var descriptionHash: String?
    public var preimage: String?
    public var paymentHash: String
    public var amount: Int64
    public var feesPaid: Int64?
    public var createdAt: Int64
    public var expiresAt: Int64?
    public var settledAt: Int64?

    public init(
        type: TransactionType, invoice: String? = nil, description: String? = nil, descriptionHash: String? = nil,
        preimage: String? = nil, paymentHash: String, amount: Int64, feesPaid: Int64? = nil, createdAt: Int64,
        expiresAt: Int64? = nil, settledAt: Int64? = nil
    ) {
        self.type = type
        self.invoice = invoice
        self.description = description
        self.descriptionHash = descriptionHash
        self.preimage = preimage
        self.paymentHash = paymentHash
        self.amount = amount
        self.feesPaid = feesPaid
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.settledAt = settledAt
    }

    enum CodingKeys: String, CodingKey {
        case type, invoice, description
        case descriptionHash = "description_hash"
        case preimage
        case paymentHash = "payment_hash"
        case amount
        case feesPaid = "fees_paid"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case settledAt = "settled_at"
    }
}

public struct Quote: Codable, Sendable, Equatable {
    public var sendingCurrency: Currency
    public var receivingCurrency: Currency
    public var paymentHash: String
    public var expiresAt: Int64
    public var multiplier: Double
    public var fees: Int64
    public var totalSendingAmount: Int64
    public var totalReceivingAmount: Int64
    public var createdAt: Int64

    public init(
        sendingCurrency: Currency, receivingCurrency: Currency, paymentHash: String, expiresAt: Int64,
        multiplier: Double, fees: Int64, totalSendingAmount: Int64, totalReceivingAmount: Int64, createdAt: Int64
    ) {
        self.sendingCurrency = sendingCurrency
        self.receivingCurrency = receivingCurrency
        self.paymentHash = paymentHash
        self.expiresAt = expiresAt
        self.multiplier = multiplier
        self.fees = fees
        self.totalSendingAmount = totalSendingAmount
        self.totalReceivingAmount = totalReceivingAmount
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case sendingCurrency = "sending_currency"
        case receivingCurrency = "receiving_currency"
        case paymentHash = "payment_hash"
        case expiresAt = "expires_at"
        case multiplier, fees
        case totalSendingAmount = "total_sending_amount"
        case totalReceivingAmount = "total_receiving_amount"
        case createdAt = "created_at"
    }
}

public struct MakeInvoiceRequest: Codable, Sendable, Equatable {
    public var amount: Int64
    public var description: String?
    public var descriptionHash: String?
    public var expiry: Int64?

    public init(amount: Int64, description: String? = nil, descriptionHash: String? = nil, expiry: Int64? = nil) {
        self.amount = amount
        self.description = description
        self.descriptionHash = descriptionHash
        self.expiry = expiry
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case amount, description
        case descriptionHash = "description_hash"
        case expiry
    }
}

public struct PayInvoiceRequest: Codable, Sendable, Equatable {
    public var invoice: String
    public var amount: Int64?
    public var budgetCurrencyCode: String?

    public init(invoice: String, amount: Int64? = nil, budgetCurrencyCode: String? = nil) {
        self.invoice = invoice
        self.amount = amount
        self.budgetCurrencyCode = budgetCurrencyCode
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case invoice, amount
        case budgetCurrencyCode = "budget_currency_code"
    }
}

public struct TLVRecord: Codable, Sendable, Equatable {
    public var type: Int64
    public var value: String

    public init(type: Int64, value: String) {
        self.type = type
        self.value = value
    }
}

public struct PayKeysendRequest: Codable, Sendable, Equatable {
    public var amount: Int64
    public var pubkey: String
    public var preimage: String?
    public var tlvRecords: [TLVRecord]?
    public var budgetCurrencyCode: String?

    public init(
        amount: Int64, pubkey: String, preimage: String? = nil, tlvRecords: [TLVRecord]? = nil,
        budgetCurrencyCode: String? = nil
    ) {
        self.amount = amount
        self.pubkey = pubkey
        self.preimage = preimage
        self.tlvRecords = tlvRecords
        self.budgetCurrencyCode = budgetCurrencyCode
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case amount, pubkey, preimage
        case tlvRecords = "tlv_records"
        case budgetCurrencyCode = "budget_currency_code"
    }
}

public struct PayToAddressRequest: Codable, Sendable, Equatable {
    public var receiverAddress: String
    public var sendingCurrencyCode: String
    public var sendingCurrencyAmount: Int64
    public var receivingCurrencyCode: String?
    public var budgetCurrencyCode: String?

    public init(
        receiverAddress: String, sendingCurrencyCode: String, sendingCurrencyAmount: Int64,
        receivingCurrencyCode: String? = nil, budgetCurrencyCode: String? = nil
    ) {
        self.receiverAddress = receiverAddress
        self.sendingCurrencyCode = sendingCurrencyCode
        self.sendingCurrencyAmount = sendingCurrencyAmount
        self.receivingCurrencyCode = receivingCurrencyCode
        self.budgetCurrencyCode = budgetCurrencyCode
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case receiverAddress = "receiver_address"
        case sendingCurrencyCode = "sending_currency_code"
        case sendingCurrencyAmount = "sending_currency_amount"
        case receivingCurrencyCode = "receiving_currency_code"
        case budgetCurrencyCode = "budget_currency_code"
    }
}

public struct ExecuteQuoteRequest: Codable, Sendable, Equatable {
    public var budgetCurrencyCode: String?

    public init(budgetCurrencyCode: String? = nil) { self.budgetCurrencyCode = budgetCurrencyCode }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case budgetCurrencyCode = "budget_currency_code"
    }
}

public enum LockedCurrencySide: String, Codable, Sendable {
    case sending, receiving
}

public struct FetchQuoteQuery: Sendable, Equatable {
    public var sendingCurrencyCode: String
    public var receivingCurrencyCode: String
    public var lockedCurrencyAmount: Int64
    public var lockedCurrencySide: LockedCurrencySide
    public var receiverAddress: String

    public init(
        sendingCurrencyCode: String, receivingCurrencyCode: String, lockedCurrencyAmount: Int64,
        lockedCurrencySide: LockedCurrencySide, receiverAddress: String
    ) {
        self.sendingCurrencyCode = sendingCurrencyCode
        self.receivingCurrencyCode = receivingCurrencyCode
        self.lockedCurrencyAmount = lockedCurrencyAmount
        self.lockedCurrencySide = lockedCurrencySide
        self.receiverAddress = receiverAddress
    }
}

public struct ListTransactionsQuery: Sendable, Equatable {
    public var from: Int64?
    public var until: Int64?
    public var limit: Int?
    public var offset: Int?
    public var unpaid: Bool?
    public var type: TransactionType?

    public init(
        from: Int64? = nil, until: Int64? = nil, limit: Int? = nil, offset: Int? = nil, unpaid: Bool? = nil,
        type: TransactionType? = nil
    ) {
        self.from = from
        self.until = until
        self.limit = limit
        self.offset = offset
        self.unpaid = unpaid
        self.type = type
    }
}

public struct GetBalanceResponse: Codable, Sendable, Equatable {
    public var balance: Double
    public var currency: Currency?

    public init(balance: Double, currency: Currency? = nil) {
        self.balance = balance
        self.currency = currency
    }
}

public struct GetInfoResponse: Codable, Sendable, Equatable {
    public var alias: String?
    public var color: String?
    public var pubkey: String
    public var network: String
    public var blockHeight: Int64?
    public var blockHash: String?
    public var methods: [String]
    public var lud16: String?
    public var currencies: [CurrencyPreference]?

    public init(
        alias: String? = nil, color: String? = nil, pubkey: String, network: String, blockHeight: Int64? = nil,
        blockHash: String? = nil, methods: [String], lud16: String? = nil, currencies: [CurrencyPreference]? = nil
    ) {
        self.alias = alias
        self.color = color
        self.pubkey = pubkey
        self.network = network
        self.blockHeight = blockHeight
        self.blockHash = blockHash
        self.methods = methods
        self.lud16 = lud16
        self.currencies = currencies
    }

    enum CodingKeys: String, CodingKey {
        case alias, color, pubkey, network
        case blockHeight = "block_height"
        case blockHash = "block_hash"
        case methods, lud16, currencies
    }
}

public struct LookupUserResponse: Codable, Sendable, Equatable {
    public var currencies: [CurrencyPreference]

    public init(currencies: [CurrencyPreference]) { self.currencies = currencies }
}

public struct ListTransactionsResponse: Codable, Sendable, Equatable {
    public var transactions: [Transaction]

    public init(transactions: [Transaction]) { self.transactions = transactions }
}

public struct PayResponse: Codable, Sendable, Equatable {
    public var preimage: String
    public var totalBudgetCurrencyAmount: Int64?

    public init(preimage: String, totalBudgetCurrencyAmount: Int64? = nil) {
        self.preimage = preimage
        self.totalBudgetCurrencyAmount = totalBudgetCurrencyAmount
    }

    enum CodingKeys: String, CodingKey {
        case preimage
        case totalBudgetCurrencyAmount = "total_budget_currency_amount"
    }
}

public struct PayToAddressResponse: Codable, Sendable, Equatable {
    public var preimage: String
    public var quote: Quote
    public var totalBudgetCurrencyAmount: Int64?

    public init(preimage: String, quote: Quote, totalBudgetCurrencyAmount: Int64? = nil) {
        self.preimage = preimage
        self.quote = quote
        self.totalBudgetCurrencyAmount = totalBudgetCurrencyAmount
    }

    enum CodingKeys: String, CodingKey {
        case preimage, quote
        case totalBudgetCurrencyAmount = "total_budget_currency_amount"
    }
}

public struct BudgetEstimateResponse: Codable, Sendable, Equatable {
    public var estimatedBudgetCurrencyAmount: Int64

    public init(estimatedBudgetCurrencyAmount: Int64) {
        self.estimatedBudgetCurrencyAmount = estimatedBudgetCurrencyAmount
    }

    enum CodingKeys: String, CodingKey {
        case estimatedBudgetCurrencyAmount = "estimated_budget_currency_amount"
    }
}
