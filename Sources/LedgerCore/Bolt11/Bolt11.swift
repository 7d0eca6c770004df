import Foundation

/// A BOLT11 invoice, read by hand: no Lightning library is among this package's dependencies.
///
/// What is checked: the bech32 checksum, the prefix, the amount, the 35-bit timestamp and the
/// tagged fields the wallets need. What is not: the signature. Checking it means recovering a
/// secp256k1 public key, and no secp256k1 implementation is available here (swift-crypto has P-256,
/// not secp256k1). The wallets therefore trust the invoice's fields, and a real upstream wallet
/// verifies the signature before it pays.
public struct Bolt11Invoice: Sendable, Equatable {
    /// The BIP-173 currency prefix after `ln`: "bc", "tb", "tbs", "bcrt" or "sb".
    public var network: String
    /// nil for a donation ("any amount") invoice.
    public var amountMsat: Int64?
    /// Unix seconds.
    public var timestamp: Int64
    /// 32 bytes, lower-case hex.
    public var paymentHash: String
    public var description: String?
    /// 32 bytes, lower-case hex.
    public var descriptionHash: String?
    public var expirySec: Int64
    /// 32 bytes, lower-case hex.
    public var paymentSecret: String?

    public var expiresAt: Int64 { timestamp + expirySec }

    /// The network's name as the UMA Auth API spells it ("mainnet", "testnet", "signet", "regtest",
    /// "simnet").
    public var networkName: String { Self.networkNames[network] ?? network }

    /// A QR code holds at most 7089 characters; nothing longer is a real invoice, and the bound
    /// keeps a hostile string from costing more than a few kilobytes of work.
    public static let maxLength = 7089
    /// BOLT11's default when there is no `x` field.
    public static let defaultExpirySec: Int64 = 3600
    /// 21 million BTC: anything above is not an amount but an attack or a typo.
    public static let maxAmountMsat: Int64 = 2_100_000_000_000_000_000

    package static let networkNames = ["bc": "mainnet", "tb": "testnet", "tbs": "signet", "bcrt": "regtest", "sb": "simnet"]

    /// The BOLT11 prefix for a network name ("regtest" → "bcrt"), or nil for an unknown name.
    public static func currencyPrefix(forNetwork name: String) -> String? {
        networkNames.first { $0.value == name }?.key
    }

    /// The amount to pay: the invoice's own, or `requestedMsat` for a donation invoice. Both given
    /// and different is refused, since the caller and the payee disagree on the price.
    public func amountToPay(requestedMsat: Int64?) throws(Bolt11Error) -> Int64 {
        switch (amountMsat, requestedMsat) {
        case (let invoiceMsat?, let requested?) where invoiceMsat != requested:
            throw Bolt11Error("amount \(requested) msat differs from the invoice's \(invoiceMsat) msat")
        case (let invoiceMsat?, _):
            return invoiceMsat
        case (nil, let requested?):
            guard requested > 0, requested <= Self.maxAmountMsat else {
                throw Bolt11Error("amount must be between 1 and \(Self.maxAmountMsat) msat")
            }
            return requested
        case (nil, nil):
            throw Bolt11Error("the invoice has no amount; give one in msat")
        }
    }
}
