import Foundation

// Decoding helpers every surface shares: readable messages for what a body got wrong, and the
// refusal of members a type does not know.

extension DecodingError {
    /// Foundation reports unparsable bytes as corrupted data at the root.
    package var isSyntax: Bool {
        if case .dataCorrupted(let context) = self, context.codingPath.isEmpty { return true }
        return false
    }

    /// "scopes[1]: expected a string" rather than Foundation's debug text.
    package var explanation: String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".")
                .description
        }
        switch self {
        case .typeMismatch(let type, let context):
            let at = path(context.codingPath)
            return "\(at.isEmpty ? "the body" : at): expected \(Self.describe(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(Self.describe(type)), found null"
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "missing field \(parent.isEmpty ? "" : parent + ".")\(key.stringValue)"
        case .dataCorrupted(let context):
            if isSyntax { return "the body is not valid JSON" }
            let at = path(context.codingPath)
            return at.isEmpty ? context.debugDescription : "\(at): \(context.debugDescription)"
        @unknown default:
            return "the body does not match the expected shape"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int64.Type, is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        case is [String: Any].Type: "an object"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }
}

/// Coding keys for any member name, to see which members a JSON object has.
package struct AnyCodingKey: CodingKey {
    package var stringValue: String
    package var intValue: Int? { nil }
    package init(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { nil }
}

extension Decoder {
    /// Refuses members the type does not know: a misspelt `expires_at` must not silently grant a
    /// connection that never expires.
    ///
    /// Each member is looked up through the keys' own `init(stringValue:)` (a String enum's
    /// match of its raw values), and the names allowed are listed only for the error: a set of
    /// them built for every body, through key paths the runtime instantiated per call, was 7 % of
    /// the budget service's request threads' samples in a reserve-and-settle load.
    package func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_: Keys.Type) throws {
        for member in try container(keyedBy: AnyCodingKey.self).allKeys where Keys(stringValue: member.stringValue) == nil {
            let allowed = Set(Keys.allCases.map { $0.stringValue }).sorted()
            throw UnknownFieldError(name: String(member.stringValue.prefix(64)), allowed: allowed)
        }
    }
}

package struct UnknownFieldError: Error, CustomStringConvertible {
    package var name: String
    package var allowed: [String]
    package var description: String { "unknown field \"\(name)\"; allowed: \(allowed.joined(separator: ", "))" }
}
