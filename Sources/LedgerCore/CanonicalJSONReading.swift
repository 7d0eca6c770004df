import Foundation

/// A type that reads itself from JSON straight off a `JSONTape`, without going through `Decoder`:
/// the reading side of `CanonicalJSONWriting`, for the few types every replayed event decodes
/// (its metadata, a payment's two events). Through `Decodable` each member was a call through a
/// boxed keyed container and a key's `stringValue`: a replay spent 49,000 instructions an event
/// under callgrind in `init(from:)` alone.
///
/// A reader answers only what Foundation's decoder would answer for the type's synthesized (or
/// own) `init(from:)`, and refuses (`TapeJSONDecoder.Refused`) wherever it is not certain: a
/// member missing, null where a value is needed, of another kind, an integer that is not a plain
/// one. `CanonicalJSON.decode` then asks Foundation, whose value or error stands; debug builds
/// (every test) compare each value read with Foundation's. Members it does not ask for are
/// passed over, as a synthesized `init(from:)` passes them over.
package protocol CanonicalJSONReading: Decodable {
    init(reading object: inout CanonicalJSONObjectReader) throws
}

/// The members of one JSON object on a tape, looked up by their keys' bytes. Look-ups start
/// where the last one matched and wrap around, so a reader that asks for the members in the
/// order the ledger writes them (its keys' byte order) finds each at its first comparison.
package struct CanonicalJSONObjectReader {
    private let tape: JSONTape
    private let object: Int
    /// The key entry the next look-up compares first.
    private var cursor: Int

    private init(_ tape: JSONTape, object: Int) throws {
        guard tape.entries[object].kind == .object else { throw Self.refused("not an object") }
        guard tape.entries[object].count <= JSONTape.readerMembersMax else { throw Self.refused("an object of many members") }
        self.tape = tape
        self.object = object
        self.cursor = object + 1
    }

    /// `T` from a whole JSON text; throws `TapeJSONDecoder.Refused` where Foundation is to read it.
    static func read<T: CanonicalJSONReading>(_: T.Type, from data: Data) throws -> T {
        var reader = try CanonicalJSONObjectReader(JSONTape(parsing: [UInt8](data)), object: 0)
        return try T(reading: &reader)
    }

    private static func refused(_ reason: StaticString) -> TapeJSONDecoder.Refused {
        TapeJSONDecoder.Refused(description: "\(reason)")
    }

    /// The entry of `key`'s value; nil when the object has no such member.
    private mutating func find(_ key: StaticString) -> Int? {
        let count = tape.entries[object].count
        let end = tape.entries[object].next
        var member = cursor
        for _ in 0..<count {
            if member >= end { member = object + 1 }
            let found = key.withUTF8Buffer { tape.stringEquals(member, $0) }
            let value = member + 1
            member = tape.next(after: value)
            if found {
                cursor = member
                return value
            }
        }
        return nil
    }

    /// The value's entry; refused when the member is missing or null (Foundation's
    /// `keyNotFound` and `valueNotFound`).
    private mutating func required(_ key: StaticString) throws -> Int {
        guard let index = find(key), tape.entries[index].kind != .null else { throw Self.refused("no value") }
        return index
    }

    /// The value's entry; nil when the member is missing or null, as `decodeIfPresent` reads both.
    private mutating func present(_ key: StaticString) -> Int? {
        guard let index = find(key), tape.entries[index].kind != .null else { return nil }
        return index
    }

    private func value<T: CanonicalJSONReading>(_: T.Type, at index: Int) throws -> T {
        var nested = try CanonicalJSONObjectReader(tape, object: index)
        return try T(reading: &nested)
    }

    package mutating func string(_ key: StaticString) throws -> String { try tape.stringValue(required(key)) }
    package mutating func string(ifPresent key: StaticString) throws -> String? {
        try present(key).map { try tape.stringValue($0) }
    }

    package mutating func int64(_ key: StaticString) throws -> Int64 { try tape.integerValue(required(key), as: Int64.self) }
    package mutating func int64(ifPresent key: StaticString) throws -> Int64? {
        try present(key).map { try tape.integerValue($0, as: Int64.self) }
    }

    package mutating func bool(_ key: StaticString) throws -> Bool { try tape.boolValue(required(key)) }
    package mutating func bool(ifPresent key: StaticString) throws -> Bool? {
        try present(key).map { try tape.boolValue($0) }
    }

    package mutating func value<T: CanonicalJSONReading>(_ key: StaticString, as _: T.Type) throws -> T {
        try value(T.self, at: required(key))
    }
    package mutating func value<T: CanonicalJSONReading>(ifPresent key: StaticString, as _: T.Type) throws -> T? {
        try present(key).map { try value(T.self, at: $0) }
    }

    /// A string enum's case; refused for a text that names none (Foundation's `dataCorrupted`).
    package mutating func rawValue<T: RawRepresentable>(_ key: StaticString, as _: T.Type) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: try string(key)) else { throw Self.refused("no such case") }
        return value
    }
}
