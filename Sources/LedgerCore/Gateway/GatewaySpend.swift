import Foundation

/// The unit a configured amount field is in. There is no default: a sat read as msat is a
/// thousandfold mistake in someone's budget.
public enum GatewayAmountUnit: String, Codable, Sendable, CaseIterable {
    case sat, msat

    public var msatPerUnit: Int64 { self == .sat ? 1000 : 1 }
}

/// How a payment route's cost is read. From the JSON request body: `invoice_field` names a BOLT11
/// invoice whose amount is used; `amount_field` (+ `amount_unit`) names the amount to use when the
/// invoice has none or there is no invoice field. From the origin's 2xx JSON answer, optionally:
/// `fee_field` (+ `fee_unit`) and `response_amount_field` (+ `response_amount_unit`); without them
/// the cost is the requested amount and no fee.
///
/// Fields are top-level members of the JSON object, named case-insensitively as Go's
/// encoding/json reads them.
public struct GatewaySpend: Codable, Sendable, Equatable {
    public var invoiceField: String?
    public var amountField: String?
    public var amountUnit: GatewayAmountUnit?
    public var feeField: String?
    public var feeUnit: GatewayAmountUnit?
    public var responseAmountField: String?
    public var responseAmountUnit: GatewayAmountUnit?

    public init(
        invoiceField: String? = nil, amountField: String? = nil, amountUnit: GatewayAmountUnit? = nil,
        feeField: String? = nil, feeUnit: GatewayAmountUnit? = nil, responseAmountField: String? = nil,
        responseAmountUnit: GatewayAmountUnit? = nil
    ) {
        self.invoiceField = invoiceField
        self.amountField = amountField
        self.amountUnit = amountUnit
        self.feeField = feeField
        self.feeUnit = feeUnit
        self.responseAmountField = responseAmountField
        self.responseAmountUnit = responseAmountUnit
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case invoiceField = "invoice_field"
        case amountField = "amount_field"
        case amountUnit = "amount_unit"
        case feeField = "fee_field"
        case feeUnit = "fee_unit"
        case responseAmountField = "response_amount_field"
        case responseAmountUnit = "response_amount_unit"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        invoiceField = try container.decodeIfPresent(String.self, forKey: .invoiceField)
        amountField = try container.decodeIfPresent(String.self, forKey: .amountField)
        amountUnit = try container.decodeIfPresent(GatewayAmountUnit.self, forKey: .amountUnit)
        feeField = try container.decodeIfPresent(String.self, forKey: .feeField)
        feeUnit = try container.decodeIfPresent(GatewayAmountUnit.self, forKey: .feeUnit)
        responseAmountField = try container.decodeIfPresent(String.self, forKey: .responseAmountField)
        responseAmountUnit = try container.decodeIfPresent(GatewayAmountUnit.self, forKey: .responseAmountUnit)
    }

    static let fieldNameLengthMax = 64

    func validate() throws(GatewayConfigError) {
        guard invoiceField != nil || amountField != nil else {
            throw GatewayConfigError("spend needs invoice_field, amount_field or both")
        }
        let pairs: [(String, String?, String, GatewayAmountUnit?)] = [
            ("amount_field", amountField, "amount_unit", amountUnit),
            ("fee_field", feeField, "fee_unit", feeUnit),
            ("response_amount_field", responseAmountField, "response_amount_unit", responseAmountUnit),
        ]
        for (fieldKey, field, unitKey, unit) in pairs {
            if field != nil, unit == nil { throw GatewayConfigError("spend.\(fieldKey) needs spend.\(unitKey)") }
            if field == nil, unit != nil { throw GatewayConfigError("spend.\(unitKey) without spend.\(fieldKey)") }
        }
        for (key, field) in [
            ("invoice_field", invoiceField), ("amount_field", amountField), ("fee_field", feeField),
            ("response_amount_field", responseAmountField),
        ] {
            guard let field else { continue }
            guard !field.isEmpty, field.utf8.count <= Self.fieldNameLengthMax,
                !field.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                throw GatewayConfigError("spend.\(key) must be 1 to \(Self.fieldNameLengthMax) printable characters")
            }
        }
        if let invoiceField, let amountField, JSONMembers.fold(invoiceField) == JSONMembers.fold(amountField) {
            throw GatewayConfigError("spend.invoice_field and spend.amount_field name the same member")
        }
    }
}

/// Why a payment request's amount could not be read; the controller answers 400 with it.
public struct GatewaySpendError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Not a JSON object, too large, or a member named twice.
        case invalidBody = "invalid_body"
        case missingField = "missing_field"
        case notPositiveInteger = "not_positive_integer"
        case invoiceUnparsable = "invoice_unparsable"
        case amountOverflow = "amount_overflow"
        /// Both an invoice amount and an explicit amount, and they differ.
        case amountMismatch = "amount_mismatch"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// What a payment cost, per the origin's answer.
public struct GatewaySettledCost: Sendable, Equatable {
    public var amountMsat: Int64
    public var feeMsat: Int64

    public init(amountMsat: Int64, feeMsat: Int64) {
        self.amountMsat = amountMsat
        self.feeMsat = feeMsat
    }

    /// Cannot overflow: each part is at most `Bolt11Invoice.maxAmountMsat`, 21 million BTC.
    public var totalMsat: Int64 { amountMsat + feeMsat }
}

extension GatewaySpend {
    /// Request bodies are bounded by the controller; this bound keeps a direct caller honest too.
    public static let bodyBytesMax = 256 * 1024

    /// The amount this request asks to spend, in msat, between 1 and 21 million BTC.
    ///
    /// With `invoice_field`, the invoice is required and parsed; its amount wins, and an explicit
    /// amount that differs from it is refused (payer and payee would disagree on the price). An
    /// invoice without an amount, or a route without `invoice_field`, takes `amount_field`.
    public func requestedMsat(body: Data) throws(GatewaySpendError) -> Int64 {
        guard body.count <= Self.bodyBytesMax else {
            throw GatewaySpendError(.invalidBody, "the body is larger than \(Self.bodyBytesMax) bytes")
        }
        let members = try JSONMembers(body)

        var explicitMsat: Int64?
        if let amountField, let unit = amountUnit, let value = members[amountField], !value.isNull {
            explicitMsat = try Self.msat(value, unit: unit, field: amountField)
        }

        if let invoiceField {
            guard let value = members[invoiceField], !value.isNull else {
                throw GatewaySpendError(.missingField, "missing field \(invoiceField)")
            }
            guard case .string(let text) = value else {
                throw GatewaySpendError(.invoiceUnparsable, "\(invoiceField) must be a BOLT11 invoice string")
            }
            let invoice: Bolt11Invoice
            do {
                invoice = try Bolt11Invoice.parse(text)
            } catch {
                throw GatewaySpendError(.invoiceUnparsable, "\(invoiceField): \(error.message)")
            }
            if let invoiceMsat = invoice.amountMsat {
                if let explicitMsat, explicitMsat != invoiceMsat {
                    throw GatewaySpendError(
                        .amountMismatch,
                        "\(amountField ?? "amount") is \(explicitMsat) msat but the invoice asks \(invoiceMsat) msat")
                }
                return invoiceMsat
            }
            guard amountField != nil else {
                throw GatewaySpendError(.missingField, "the invoice has no amount and this route reads none")
            }
        }

        guard let explicitMsat else {
            throw GatewaySpendError(.missingField, "missing field \(amountField ?? "amount")")
        }
        return explicitMsat
    }

    /// What a payment the origin accepted (2xx) cost: its reported amount and fee where the route
    /// names them and the answer holds a usable value, else the requested amount and no fee. An
    /// unusable value falls back the same way: the payment happened, so the cost is recorded.
    public func settledCost(responseBody: Data, requestedMsat: Int64) -> GatewaySettledCost {
        let members = responseBody.count <= Self.bodyBytesMax ? try? JSONMembers(responseBody) : nil
        func read(_ field: String?, _ unit: GatewayAmountUnit?, allowZero: Bool) -> Int64? {
            guard let field, let unit, let value = members?[field],
                let msat = try? Self.msat(value, unit: unit, field: field, allowZero: allowZero)
            else { return nil }
            return msat
        }
        return GatewaySettledCost(
            amountMsat: read(responseAmountField, responseAmountUnit, allowZero: false) ?? requestedMsat,
            feeMsat: read(feeField, feeUnit, allowZero: true) ?? 0)
    }

    /// A JSON integer in `unit`, as msat within 21 million BTC.
    static func msat(_ value: JSONMembers.Value, unit: GatewayAmountUnit, field: String, allowZero: Bool = false)
        throws(GatewaySpendError) -> Int64
    {
        let lowest: Int64 = allowZero ? 0 : 1
        switch value {
        case .integer(let units):
            guard units >= lowest else {
                throw GatewaySpendError(
                    .notPositiveInteger, "\(field) must be \(allowZero ? "zero or more" : "a positive integer")")
            }
            let (msat, overflow) = units.multipliedReportingOverflow(by: unit.msatPerUnit)
            guard !overflow, msat <= Bolt11Invoice.maxAmountMsat else {
                throw GatewaySpendError(.amountOverflow, "\(field) is more than 21 million BTC")
            }
            return msat
        case .tooLargeInteger(negative: false):
            throw GatewaySpendError(.amountOverflow, "\(field) is more than 21 million BTC")
        default:
            throw GatewaySpendError(.notPositiveInteger, "\(field) must be an integer number of \(unit.rawValue)")
        }
    }
}
