import Foundation

/// The top-level members of a JSON object, read the way the origin will read them.
///
/// Foundation does not agree with itself on a repeated member: JSONDecoder keeps the first,
/// JSONSerialization the last, and Go's encoding/json (LNDhub) the last, matching names without
/// regard to case. A body `{"amount": 1, "Amount": 1000000}` would then be charged 1 and paid
/// 1,000,000. So a member named twice, in any case, refuses the body, and lookups ignore case.
struct JSONMembers {
    enum Value: Equatable {
        /// A plain integer literal: no fraction, no exponent.
        case integer(Int64)
        case tooLargeInteger(negative: Bool)
        /// Any other number ("1.5", "1e3").
        case number
        case string(String)
        case bool
        case null
        /// An object or an array.
        case structure

        var isNull: Bool { self == .null }
    }

    private var values: [String: Value] = [:]

    /// Go's case-insensitive match, near enough: upper- then lower-casing also folds "ſ" and the
    /// Kelvin sign, which Go treats as "s" and "k".
    static func fold(_ name: String) -> String { name.uppercased().lowercased() }

    subscript(name: String) -> Value? { values[Self.fold(name)] }

    init(_ data: Data) throws(GatewaySpendError) {
        // Full validation first, so the scan below may assume well-formed JSON.
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            throw GatewaySpendError(.invalidBody, "the body must be a JSON object")
        }
        let bytes = [UInt8](data)
        var scanner = Scanner(bytes: bytes)
        scanner.skipWhitespace()
        scanner.index += 1  // "{"
        while true {
            scanner.skipWhitespace()
            guard scanner.index < bytes.count, bytes[scanner.index] != UInt8(ascii: "}") else { break }
            let keySpan = scanner.skipValue()
            guard case .string(let name) = Self.classify(bytes[keySpan]) else {
                throw GatewaySpendError(.invalidBody, "the body is not a JSON object")
            }
            scanner.skipWhitespace()
            scanner.index += 1  // ":"
            scanner.skipWhitespace()
            let value = Self.classify(bytes[scanner.skipValue()])
            guard values.updateValue(value, forKey: Self.fold(name)) == nil else {
                throw GatewaySpendError(.invalidBody, "member \"\(name.prefix(64))\" appears more than once")
            }
            scanner.skipWhitespace()
            if scanner.index < bytes.count, bytes[scanner.index] == UInt8(ascii: ",") { scanner.index += 1 }
        }
    }

    private static func classify(_ text: ArraySlice<UInt8>) -> Value {
        guard let first = text.first else { return .structure }
        switch first {
        case UInt8(ascii: "\""):
            let string = try? JSONDecoder().decode(String.self, from: Data(text))
            return string.map(Value.string) ?? .structure
        case UInt8(ascii: "{"), UInt8(ascii: "["): return .structure
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default:
            let digits = first == UInt8(ascii: "-") ? text.dropFirst() : text
            guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return .number }
            if let value = Int64(String(decoding: text, as: UTF8.self)) { return .integer(value) }
            return .tooLargeInteger(negative: first == UInt8(ascii: "-"))
        }
    }

    /// Walks well-formed JSON one value at a time.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        /// Skips one value (a string, number, literal, object or array) and returns its span.
        mutating func skipValue() -> Range<Int> {
            let start = index
            var depth = 0
            var inString = false
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if inString {
                    if byte == UInt8(ascii: "\\") {
                        index += 1
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                        if depth == 0 { break }
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 {
                        // The end of the enclosing object: not part of this value.
                        index -= 1
                        return start..<index
                    }
                    depth -= 1
                    if depth == 0 { return start..<index }
                case UInt8(ascii: ","), 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ":"):
                    if depth == 0 {
                        index -= 1
                        return start..<index
                    }
                default: continue
                }
            }
            return start..<min(index, bytes.count)
        }
    }
}
