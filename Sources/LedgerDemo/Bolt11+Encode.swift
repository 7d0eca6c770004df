import LedgerWallet
import Crypto
import Foundation
import LedgerCore

extension Bolt11Invoice {
    /// The most description bytes a `d` field holds (1023 words of 5 bits). A longer description
    /// is committed to by its SHA-256 in an `h` field instead, as BOLT11 intends.
    public static let maxInlineDescriptionBytes = 639

    /// Writes a syntactically valid invoice that `parse` reads back, for the demo wallet.
    ///
    /// Demo invoices are not signed: the 65-byte signature is a placeholder derived with SHA-256
    /// from the signed data, because there is no secp256k1 here to sign with. A real Lightning node
    /// would reject them; the demo wallet pays them by payment hash.
    ///
    /// - Parameters:
    ///   - network: the BOLT11 currency prefix ("bc", "tb", "tbs", "bcrt", "sb").
    ///   - amountMsat: nil for an any-amount invoice.
    ///   - paymentHash: 32 bytes of hex. Anything else is a programming error in the caller.
    public static func encode(
        network: String, amountMsat: Int64?, timestamp: Int64, paymentHash: String, description: String?,
        descriptionHash: String? = nil, expirySec: Int64 = defaultExpirySec
    ) -> String {
        precondition(networkNames[network] != nil, "unknown BOLT11 network prefix \(network)")
        precondition(Hex.isHex(paymentHash, byteCount: 32), "payment hash must be 32 bytes of hex")
        precondition(timestamp >= 0 && timestamp < 1 << 35, "timestamp must fit in 35 bits")

        let hrp = "ln" + network + (amountMsat.map(encodeAmount) ?? "")
        var words = fixedWidthWords(UInt64(timestamp), count: timestampWords)
        let hashBytes = Hex.decode(paymentHash) ?? []
        appendField("p", bytes: hashBytes, to: &words)
        // The payment secret only needs to be unguessable to forwarding nodes; demo invoices never
        // cross the network, so a value derived from the hash keeps `encode` deterministic.
        appendField("s", bytes: Array(SHA256.hash(data: Array("grantledger secret".utf8) + hashBytes)), to: &words)

        if let description {
            let bytes = Array(description.utf8)
            if bytes.count <= maxInlineDescriptionBytes {
                appendField("d", bytes: bytes, to: &words)
            } else {
                appendField("h", bytes: Array(SHA256.hash(data: bytes)), to: &words)
            }
        }
        if let descriptionHash, let bytes = Hex.decode(descriptionHash), bytes.count == 32 {
            appendField("h", bytes: bytes, to: &words)
        }
        if expirySec != defaultExpirySec {
            appendField("x", words: minimalWords(UInt64(max(expirySec, 0))), to: &words)
        }
        // min_final_cltv_expiry: BOLT11 requires writers to include it; 18 is the reader default.
        appendField("c", words: minimalWords(18), to: &words)
        // Features: var_onion_optin (bit 8) and payment_secret (bit 14), both compulsory, since an
        // `s` field is present. 15 bits in 3 words: 0b10000_01000_00000.
        appendField("9", words: [16, 8, 0], to: &words)

        words += placeholderSignature(hrp: hrp, words: words)
        return Bech32.encode(hrp: hrp, words: words)
    }

    /// Shortest representation: the largest multiplier that divides the amount exactly.
    static func encodeAmount(_ msat: Int64) -> String {
        precondition(msat > 0 && msat <= maxAmountMsat, "amount must be between 1 msat and 21M BTC")
        for (divisor, letter) in [(100_000_000_000, ""), (100_000_000, "m"), (100_000, "u"), (100, "n")]
        where msat % Int64(divisor) == 0 {
            return "\(msat / Int64(divisor))\(letter)"
        }
        // Pico-bitcoin is a tenth of a msat: append the zero rather than multiply, so no overflow.
        return "\(msat)0p"
    }

    private static func appendField(_ tag: Character, bytes: [UInt8], to words: inout [UInt8]) {
        appendField(tag, words: Bech32.regroup(bytes, from: 8, to: 5, pad: true), to: &words)
    }

    private static func appendField(_ tag: Character, words data: [UInt8], to words: inout [UInt8]) {
        precondition(data.count < 1024, "a tagged field holds at most 1023 words")
        let type = Bech32.alphabet.firstIndex(of: tag.asciiValue ?? 0) ?? 0
        words += [UInt8(type), UInt8(data.count >> 5), UInt8(data.count & 31)] + data
    }

    private static func fixedWidthWords(_ value: UInt64, count: Int) -> [UInt8] {
        (0..<count).map { UInt8((value >> UInt64(5 * (count - 1 - $0))) & 31) }
    }

    private static func minimalWords(_ value: UInt64) -> [UInt8] {
        var count = 1
        while count < 13, value >> UInt64(5 * count) != 0 { count += 1 }
        return fixedWidthWords(value, count: count)
    }

    /// 64 bytes of "signature" and a recovery id of 0, derived from what a real signature would sign.
    private static func placeholderSignature(hrp: String, words: [UInt8]) -> [UInt8] {
        let signed = Array(hrp.utf8) + Bech32.regroup(words, from: 5, to: 8, pad: true)
        let first = Array(SHA256.hash(data: Array("grantledger demo invoice, not signed".utf8) + signed))
        let second = Array(SHA256.hash(data: first))
        return Bech32.regroup(first + second + [0], from: 8, to: 5, pad: true)
    }
}
