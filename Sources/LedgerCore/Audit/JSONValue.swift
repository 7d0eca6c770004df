/// Any JSON value, decoded exactly as written: `true` stays a boolean and `1` a number, which
/// `JSONSerialization`'s `NSNumber` cannot tell apart on Linux. For readers that must name the
/// first bad field themselves (`AuditRecordReader`).
public indirect enum JSONValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        // Most likely first: each wrong guess throws (and allocates) an error, and a record is
        // mostly strings and objects. This order took the decode of a 100-record batch from a
        // quarter of the server's CPU (Bool, Double, String, array, object) to [see issue 12 note].
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else {
            self = .number(try container.decode(Double.self))
        }
    }

    public subscript(_ key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}
