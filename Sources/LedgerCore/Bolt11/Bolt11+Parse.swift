import Foundation

extension Bolt11Invoice {
    /// The 35-bit timestamp takes 7 words; the 520-bit signature (r, s, recovery id) takes 104.
    package static let timestampWords = 7
    package static let signatureWords = 104

    /// Reads a BOLT11 invoice; a `lightning:` URI prefix is accepted. Anything malformed is a
    /// `.badRequest` naming what is wrong.
    public static func parse(_ text: String) throws(Bolt11Error) -> Bolt11Invoice {
        var trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.lowercased().hasPrefix("lightning:") { trimmed.removeFirst("lightning:".count) }

        let hrp: String
        let words: [UInt8]
        do {
            (hrp, words) = try Bech32.decode(trimmed, maxLength: maxLength)
        } catch {
            throw Bolt11Error("invoice is not valid bech32: \(reason(error))")
        }

        let (network, amountMsat) = try parseHumanReadablePart(hrp)
        guard words.count >= timestampWords + signatureWords else {
            throw Bolt11Error("invoice is too short to hold a timestamp and a signature")
        }
        let timestamp = Int64(bigEndian: words[0..<timestampWords])
        var invoice = Bolt11Invoice(
            network: network, amountMsat: amountMsat, timestamp: timestamp, paymentHash: "", description: nil,
            descriptionHash: nil, expirySec: defaultExpirySec, paymentSecret: nil)
        try invoice.readTaggedFields(words[timestampWords..<(words.count - signatureWords)])
        guard !invoice.paymentHash.isEmpty else {
            throw Bolt11Error("invoice has no payment hash (p field)")
        }
        return invoice
    }

    private static func reason(_ error: Bech32.DecodeError) -> String {
        switch error {
        case .tooLong(let limit): "longer than \(limit) characters"
        case .mixedCase: "mixes upper and lower case"
        case .noSeparator: "no '1' separator"
        case .emptyHumanReadablePart: "nothing before the '1' separator"
        case .invalidCharacter: "a character outside the bech32 alphabet"
        case .tooShortForChecksum: "too short for a checksum"
        case .badChecksum: "the checksum does not match"
        }
    }

    /// `ln` + currency prefix + optional amount and multiplier, e.g. `lnbc2500u`, `lnbcrt1m`, `lntb`.
    private static func parseHumanReadablePart(_ hrp: String) throws(Bolt11Error) -> (String, Int64?) {
        guard hrp.hasPrefix("ln") else {
            throw Bolt11Error("invoice prefix '\(hrp)' does not start with 'ln'")
        }
        let rest = hrp.dropFirst(2)
        let network = String(rest.prefix { $0.isASCII && $0.isLetter })
        guard networkNames[network] != nil else {
            throw Bolt11Error("unknown invoice network prefix 'ln\(network)'")
        }
        let amountText = rest.dropFirst(network.count)
        guard !amountText.isEmpty else { return (network, nil) }

        var digits = Substring(amountText)
        var multiplier: Character?
        if let last = digits.last, !last.isNumber {
            multiplier = last
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits) else {
            throw Bolt11Error("invoice amount '\(amountText)' is not a number with a multiplier")
        }
        guard !digits.hasPrefix("0") else {
            throw Bolt11Error("invoice amount '\(amountText)' has a leading zero")
        }
        // One bitcoin is 10^11 msat; each multiplier divides that.
        let msatPerUnit: Int64
        switch multiplier {
        case nil: msatPerUnit = 100_000_000_000
        case "m": msatPerUnit = 100_000_000
        case "u": msatPerUnit = 100_000
        case "n": msatPerUnit = 100
        case "p":
            // A pico-bitcoin is a tenth of a msat, which HTLCs cannot carry.
            guard value % 10 == 0 else {
                throw Bolt11Error("invoice amount '\(amountText)' is not a whole number of msat")
            }
            return (network, try checkedAmount(value / 10, amountText))
        case let other?:
            throw Bolt11Error("invoice amount has unknown multiplier '\(other)'")
        }
        let (msat, overflow) = value.multipliedReportingOverflow(by: msatPerUnit)
        guard !overflow else { throw Bolt11Error("invoice amount '\(amountText)' is too large") }
        return (network, try checkedAmount(msat, amountText))
    }

    private static func checkedAmount(_ msat: Int64, _ text: Substring) throws(Bolt11Error) -> Int64 {
        guard msat > 0, msat <= maxAmountMsat else {
            throw Bolt11Error("invoice amount '\(text)' is out of range")
        }
        return msat
    }

    /// Each field is a 5-bit type, a 10-bit length in words, then the data. Unknown fields, and
    /// known ones of the wrong length, are skipped as BOLT11 requires; the first usable one wins.
    private mutating func readTaggedFields(_ words: ArraySlice<UInt8>) throws(Bolt11Error) {
        var index = words.startIndex
        while index < words.endIndex {
            guard words.endIndex - index >= 3 else {
                throw Bolt11Error("invoice has a truncated tagged field")
            }
            let type = words[index]
            let length = Int(words[index + 1]) << 5 | Int(words[index + 2])
            let dataStart = index + 3
            guard words.endIndex - dataStart >= length else {
                throw Bolt11Error("invoice tagged field runs past the signature")
            }
            let data = Array(words[dataStart..<(dataStart + length)])
            index = dataStart + length

            switch (Bech32.alphabet[Int(type)], length) {
            case (UInt8(ascii: "p"), 52) where paymentHash.isEmpty:
                paymentHash = Bech32.regroup(data, from: 5, to: 8, pad: false).hexString
            case (UInt8(ascii: "h"), 52) where descriptionHash == nil:
                descriptionHash = Bech32.regroup(data, from: 5, to: 8, pad: false).hexString
            case (UInt8(ascii: "s"), 52) where paymentSecret == nil:
                paymentSecret = Bech32.regroup(data, from: 5, to: 8, pad: false).hexString
            case (UInt8(ascii: "d"), _) where description == nil:
                let bytes = Bech32.regroup(data, from: 5, to: 8, pad: false)
                guard let text = String(bytes: bytes, encoding: .utf8) else {
                    throw Bolt11Error("invoice description is not valid UTF-8")
                }
                description = text
            case (UInt8(ascii: "x"), _):
                // 12 words are 60 bits: any longer expiry cannot be represented, nor meant.
                guard length <= 12 else { throw Bolt11Error("invoice expiry is too large") }
                expirySec = Int64(bigEndian: data[...])
            default:
                continue
            }
        }
    }
}

extension Int64 {
    /// The number spelled by big-endian 5-bit words (at most 12 of them).
    init(bigEndian words: ArraySlice<UInt8>) {
        self = words.reduce(0) { $0 << 5 | Int64($1) }
    }
}
