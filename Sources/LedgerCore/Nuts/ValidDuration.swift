/// The `validDuration` of a drawup request: Go's `time.ParseDuration` grammar
/// (`[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, e.g. `2h`, `1h30m`, `1.5h`, `90s`) with its error messages,
/// restricted to the units the API documents (`s`, `m`, `h`) and to a window we accept.
public enum ValidDuration {
    /// A login contract is for one working day at most; the node has no bound (a negative duration
    /// even gives a reversed period), we do.
    public static let durationMsMax: Int64 = 24 * 3_600_000
    /// `24h` is 3 bytes; a longer text is no honest duration.
    public static let textBytesMax = 32

    /// Nanoseconds per unit, as Go counts; only the documented units (Go also takes ns, us, µs, ms).
    private static let unitsNs: [String: UInt64] = ["s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000]
    private static let overflowNs: UInt64 = 1 << 63

    /// The duration in milliseconds (Go's nanoseconds rounded down), more than 0 and at most
    /// `durationMsMax`. Go's messages for what Go refuses; ours for what only we refuse.
    public static func parse(_ text: String) throws(ContractError) -> Int64 {
        guard text.utf8.count <= textBytesMax else {
            throw ContractError(kind: .badFormat, message: "duration is too long: at most \(textBytesMax) bytes")
        }
        let nanoseconds = try goParseDuration(text)
        let milliseconds = nanoseconds / 1_000_000
        guard milliseconds > 0, milliseconds <= durationMsMax else {
            throw ContractError(
                kind: .badFormat, message: "duration \(goQuote(text)) must be more than 0s and at most 24h")
        }
        return milliseconds
    }

    /// Go's `time.ParseDuration`, byte for byte, in nanoseconds (negative when signed so).
    private static func goParseDuration(_ original: String) throws(ContractError) -> Int64 {
        let invalid = ContractError(kind: .badFormat, message: "time: invalid duration \(goQuote(original))")
        var rest = Substring(original).utf8[...]
        var negative = false
        if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        if rest.elementsEqual("0".utf8) { return 0 }
        if rest.isEmpty { throw invalid }

        var total: UInt64 = 0
        while let first = rest.first {
            guard first == UInt8(ascii: ".") || isDigit(first) else { throw invalid }
            // The whole part: Go refuses more than 2^63.
            var whole: UInt64 = 0
            let wholeDigits = rest.prefix(while: isDigit)
            for digit in wholeDigits {
                guard whole <= overflowNs / 10 else { throw invalid }
                whole = whole * 10 + UInt64(digit - UInt8(ascii: "0"))
                guard whole <= overflowNs else { throw invalid }
            }
            rest = rest.dropFirst(wholeDigits.count)
            // The fraction: Go keeps the digits that fit and ignores the rest.
            var fraction: UInt64 = 0
            var scale = 1.0
            var fractionDigitsCount = 0
            if rest.first == UInt8(ascii: ".") {
                rest = rest.dropFirst()
                let fractionDigits = rest.prefix(while: isDigit)
                fractionDigitsCount = fractionDigits.count
                var overflowed = false
                for digit in fractionDigits where !overflowed {
                    // Checked before multiplying, as Go does, so the product cannot wrap.
                    guard fraction <= (overflowNs - 1) / 10 else {
                        overflowed = true
                        continue
                    }
                    let next = fraction * 10 + UInt64(digit - UInt8(ascii: "0"))
                    guard next <= overflowNs else {
                        overflowed = true
                        continue
                    }
                    fraction = next
                    scale *= 10
                }
                rest = rest.dropFirst(fractionDigitsCount)
            }
            guard !wholeDigits.isEmpty || fractionDigitsCount > 0 else { throw invalid }

            let unitBytes = rest.prefix { $0 != UInt8(ascii: ".") && !isDigit($0) }
            guard !unitBytes.isEmpty else {
                throw ContractError(kind: .badFormat, message: "time: missing unit in duration \(goQuote(original))")
            }
            let unit = String(decoding: unitBytes, as: UTF8.self)
            rest = rest.dropFirst(unitBytes.count)
            guard let unitNs = unitsNs[unit] else {
                throw ContractError(
                    kind: .badFormat, message: "time: unknown unit \(goQuote(unit)) in duration \(goQuote(original))")
            }
            guard whole <= overflowNs / unitNs else { throw invalid }
            var value = whole * unitNs
            if fraction > 0 {
                // Go's own float step: exact to the nanosecond for fractions of an hour.
                value += UInt64(Double(fraction) * (Double(unitNs) / scale))
                guard value <= overflowNs else { throw invalid }
            }
            let sum = total.addingReportingOverflow(value)
            guard !sum.overflow, sum.partialValue <= overflowNs else { throw invalid }
            total = sum.partialValue
        }
        if negative { return total == overflowNs ? Int64.min : -Int64(total) }
        guard total <= overflowNs - 1 else { throw invalid }
        return Int64(total)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Go's `time.quote`: double quotes, `"` and `\` escaped, bytes outside printable ASCII as `\xNN`.
    static func goQuote(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x80 || scalar.value < 0x20 {
                for byte in String(scalar).utf8 { quoted += "\\x" + String(byte, radix: 16).leftPadded(to: 2) }
            } else {
                if scalar == "\"" || scalar == "\\" { quoted += "\\" }
                quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
