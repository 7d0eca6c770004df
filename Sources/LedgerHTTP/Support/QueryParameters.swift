import LedgerApp
import Hummingbird

/// Typed query parameters with errors in the UMA shape.
struct QueryParameters {
    let request: Request

    func string(_ name: String, required: Bool = false, maxLength: Int = 256) throws -> String? {
        guard let value = request.uri.queryParameters[Substring(name)].map(String.init) else {
            if required { throw UMAError.invalid("missing query parameter \(name)") }
            return nil
        }
        // Sent empty (`name=`), an optional parameter counts as absent; a required one is named
        // as empty, since "missing" would send the caller looking for a parameter they did send.
        guard !value.isEmpty else {
            if required { throw UMAError.invalid("query parameter \(name) is empty") }
            return nil
        }
        guard value.count <= maxLength else { throw UMAError.invalid("\(name) is longer than \(maxLength)") }
        return value
    }

    func int64(_ name: String, required: Bool = false, range: ClosedRange<Int64> = 0...Int64.max) throws -> Int64? {
        guard let text = try string(name, required: required, maxLength: 20) else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw UMAError.invalid("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = try string(name, maxLength: 5) else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw UMAError.invalid("\(name) must be true or false")
        }
    }

    func enumeration<T: RawRepresentable>(_ name: String, _: T.Type, required: Bool = false) throws -> T?
    where T.RawValue == String {
        guard let text = try string(name, required: required, maxLength: 32) else { return nil }
        guard let value = T(rawValue: text) else { throw UMAError.invalid("\(name) \"\(text)\" is not allowed") }
        return value
    }
}
