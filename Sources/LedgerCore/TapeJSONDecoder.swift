import Foundation

/// Decodes JSON into any `Decodable` as Foundation's `JSONDecoder` with its default options does,
/// or refuses. Written by hand because no package on this machine's list decodes JSON: a replay
/// spent 29 % of its samples (the whole of its preparing thread's lead) in Foundation's decoder,
/// which builds a dictionary of every object's members before the first field is read. This one
/// parses the text once into a `JSONTape` and finds each field by comparing its key's bytes.
///
/// It never answers differently from Foundation; where it might, it refuses instead
/// (`CanonicalJSON.decode` then asks Foundation): the types Foundation reads its own way (`Data`,
/// `Date`, `URL`, `Decimal`), `Float`, integers written with a fraction, an exponent or as `-0`,
/// repeated or escaped keys, and every type mismatch. Its errors are not Foundation's, so a
/// caller that shows an error must show Foundation's.
public enum TapeJSONDecoder {
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let tape = try JSONTape(parsing: [UInt8](data))
        let decoder = TapeDecoder(tape)
        let value = try decoder.value(T.self, at: 0)
        guard !decoder.refusedAtTheEnd else { throw Refused(description: "a question it could not answer as Foundation would") }
        return value
    }
}

/// The decoder a `Decodable`'s `init(from:)` is handed, at entry `current` of the tape. One per
/// decode: nested values move `current` and put it back, as their containers keep their own place.
private final class TapeDecoder: Decoder {
    let tape: JSONTape
    var current = 0
    /// Set where a call that cannot throw was answered without knowing Foundation's answer.
    var refusedAtTheEnd = false

    init(_ tape: JSONTape, at index: Int = 0) {
        self.tape = tape
        self.current = index
    }

    // Not tracked: it only names where an error was, and errors here only send the caller to
    // Foundation, which says where.
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard tape.entries[current].kind == .object else { throw refused("not an object") }
        return KeyedDecodingContainer(try TapeKeyedContainer<Key>.opening(current, of: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard tape.entries[current].kind == .array else { throw refused("not an array") }
        return TapeUnkeyedContainer(decoder: self, array: current)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        TapeSingleValueContainer(decoder: self, index: current)
    }

    func refused(_ reason: String) -> TapeJSONDecoder.Refused { TapeJSONDecoder.Refused(description: reason) }

    func value<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
        // The common leaves without a trip through their `init(from:)`.
        if T.self == String.self { return try string(at: index) as! T }
        if T.self == Int64.self { return try integer(Int64.self, at: index) as! T }
        if T.self == Int.self { return try integer(Int.self, at: index) as! T }
        if T.self == Bool.self { return try bool(at: index) as! T }
        // Foundation reads these its own way (base64, dates by strategy, URL strings, decimal text).
        if T.self == Data.self || T.self == Date.self || T.self == URL.self || T.self == Decimal.self {
            throw refused("\(T.self) is Foundation's to read")
        }
        let saved = current
        current = index
        defer { current = saved }
        return try T(from: self)
    }

    func string(at index: Int) throws -> String { try tape.stringValue(index) }

    func bool(at index: Int) throws -> Bool { try tape.boolValue(index) }

    func integer<T: FixedWidthInteger>(_: T.Type, at index: Int) throws -> T { try tape.integerValue(index, as: T.self) }

    func double(at index: Int) throws -> Double {
        guard let value = tape.double(index) else { throw refused("not a number") }
        return value
    }

    func isNull(_ index: Int) -> Bool { tape.entries[index].kind == .null }
}

private struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TapeDecoder
    let object: Int

    static func opening(_ object: Int, of decoder: TapeDecoder) throws -> TapeKeyedContainer {
        // `find` walks the members (a dictionary or `JSONValue` decodes every one of them).
        guard decoder.tape.entries[object].count <= JSONTape.readerMembersMax else {
            throw decoder.refused("an object of more than \(JSONTape.readerMembersMax) members")
        }
        return TapeKeyedContainer(decoder: decoder, object: object)
    }

    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] {
        var keys: [Key] = []
        var member = object + 1
        for _ in 0..<decoder.tape.entries[object].count {
            if let text = try? decoder.tape.string(member), let key = Key(stringValue: text) { keys.append(key) }
            member = decoder.tape.next(after: member + 1)
        }
        return keys
    }

    /// The entry of `key`'s value, nil when the object has no such member. Members are few: a
    /// scan comparing bytes costs less than any table. Keys are ASCII (`JSONTape`); a name that
    /// is not could equal one of them as a String (the Kelvin sign is "K"), so it is refused.
    /// A name found is an ASCII key's bytes, so only a name not found is checked, over its
    /// contiguous bytes: `utf8.allSatisfy` on every look-up was 3.4 % of a replay's preparing
    /// thread in `perf`, walking the String's view a byte at a time.
    private func find(_ key: Key) throws -> Int? {
        let tape = decoder.tape
        var name = key.stringValue
        let (found, isASCII) = name.withUTF8 { name -> (Int?, Bool) in
            var member = object + 1
            for _ in 0..<tape.entries[object].count {
                if tape.stringEquals(member, name) { return (member + 1, true) }
                member = tape.next(after: member + 1)
            }
            return (nil, name.allSatisfy { $0 < 0x80 })
        }
        guard isASCII else { throw decoder.refused("a non-ASCII key") }
        return found
    }

    private func require(_ key: Key) throws -> Int {
        guard let index = try find(key) else { throw decoder.refused("no member \(key.stringValue)") }
        return index
    }

    /// The value's entry, nil when it is missing or null: what `decodeIfPresent` returns nil for.
    private func present(_ key: Key) throws -> Int? {
        guard let index = try find(key), !decoder.isNull(index) else { return nil }
        return index
    }

    // The protocol gives no way to throw here: a name `find` refuses counts as absent, and the
    // whole decode is refused once it ends (`TapeDecoder.refusedAtTheEnd`).
    func contains(_ key: Key) -> Bool {
        do {
            return try find(key) != nil
        } catch {
            decoder.refusedAtTheEnd = true
            return false
        }
    }
    func decodeNil(forKey key: Key) throws -> Bool { decoder.isNull(try require(key)) }

    func decode(_: Bool.Type, forKey key: Key) throws -> Bool { try decoder.bool(at: require(key)) }
    func decode(_: String.Type, forKey key: Key) throws -> String { try decoder.string(at: require(key)) }
    func decode(_: Double.Type, forKey key: Key) throws -> Double { try decoder.double(at: require(key)) }
    func decode(_: Float.Type, forKey key: Key) throws -> Float { throw decoder.refused("Float is Foundation's to read") }
    func decode(_: Int.Type, forKey key: Key) throws -> Int { try decoder.integer(Int.self, at: require(key)) }
    func decode(_: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.integer(Int8.self, at: require(key)) }
    func decode(_: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.integer(Int16.self, at: require(key)) }
    func decode(_: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.integer(Int32.self, at: require(key)) }
    func decode(_: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.integer(Int64.self, at: require(key)) }
    func decode(_: UInt.Type, forKey key: Key) throws -> UInt { try decoder.integer(UInt.self, at: require(key)) }
    func decode(_: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.integer(UInt8.self, at: require(key)) }
    func decode(_: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.integer(UInt16.self, at: require(key)) }
    func decode(_: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.integer(UInt32.self, at: require(key)) }
    func decode(_: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.integer(UInt64.self, at: require(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.value(T.self, at: require(key)) }

    // One look-up each, where the protocol's defaults make three (contains, decodeNil, decode).
    func decodeIfPresent(_: String.Type, forKey key: Key) throws -> String? {
        try present(key).map { try decoder.string(at: $0) }
    }
    func decodeIfPresent(_: Bool.Type, forKey key: Key) throws -> Bool? {
        try present(key).map { try decoder.bool(at: $0) }
    }
    func decodeIfPresent(_: Int.Type, forKey key: Key) throws -> Int? {
        try present(key).map { try decoder.integer(Int.self, at: $0) }
    }
    func decodeIfPresent(_: Int64.Type, forKey key: Key) throws -> Int64? {
        try present(key).map { try decoder.integer(Int64.self, at: $0) }
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key).map { try decoder.value(T.self, at: $0) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let index = try require(key)
        guard decoder.tape.entries[index].kind == .object else { throw decoder.refused("not an object") }
        return KeyedDecodingContainer(try TapeKeyedContainer<NestedKey>.opening(index, of: decoder))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let index = try require(key)
        guard decoder.tape.entries[index].kind == .array else { throw decoder.refused("not an array") }
        return TapeUnkeyedContainer(decoder: decoder, array: index)
    }

    // Class hierarchies' coding, which no type of the ledger uses: left to Foundation.
    func superDecoder() throws -> any Decoder {
        throw decoder.refused("superDecoder is Foundation's to read")
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        throw decoder.refused("superDecoder is Foundation's to read")
    }
}

private struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: TapeDecoder
    let array: Int
    private var element: Int
    private(set) var currentIndex = 0

    init(decoder: TapeDecoder, array: Int) {
        self.decoder = decoder
        self.array = array
        self.element = array + 1
    }

    var codingPath: [any CodingKey] { [] }
    var count: Int? { decoder.tape.entries[array].count }
    var isAtEnd: Bool { currentIndex >= decoder.tape.entries[array].count }

    /// The next element decoded by `body`, moving past it only when that succeeds, as
    /// Foundation's container does (a caller may try another type on the same element).
    private mutating func take<T>(_ body: (TapeDecoder, Int) throws -> T) throws -> T {
        guard !isAtEnd else { throw decoder.refused("past the array's end") }
        let value = try body(decoder, element)
        element = decoder.tape.next(after: element)
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { throw decoder.refused("past the array's end") }
        guard decoder.isNull(element) else { return false }
        return try take { _, _ in true }
    }

    mutating func decode(_: Bool.Type) throws -> Bool { try take { try $0.bool(at: $1) } }
    mutating func decode(_: String.Type) throws -> String { try take { try $0.string(at: $1) } }
    mutating func decode(_: Double.Type) throws -> Double { try take { try $0.double(at: $1) } }
    mutating func decode(_: Float.Type) throws -> Float { throw decoder.refused("Float is Foundation's to read") }
    mutating func decode(_: Int.Type) throws -> Int { try take { try $0.integer(Int.self, at: $1) } }
    mutating func decode(_: Int8.Type) throws -> Int8 { try take { try $0.integer(Int8.self, at: $1) } }
    mutating func decode(_: Int16.Type) throws -> Int16 { try take { try $0.integer(Int16.self, at: $1) } }
    mutating func decode(_: Int32.Type) throws -> Int32 { try take { try $0.integer(Int32.self, at: $1) } }
    mutating func decode(_: Int64.Type) throws -> Int64 { try take { try $0.integer(Int64.self, at: $1) } }
    mutating func decode(_: UInt.Type) throws -> UInt { try take { try $0.integer(UInt.self, at: $1) } }
    mutating func decode(_: UInt8.Type) throws -> UInt8 { try take { try $0.integer(UInt8.self, at: $1) } }
    mutating func decode(_: UInt16.Type) throws -> UInt16 { try take { try $0.integer(UInt16.self, at: $1) } }
    mutating func decode(_: UInt32.Type) throws -> UInt32 { try take { try $0.integer(UInt32.self, at: $1) } }
    mutating func decode(_: UInt64.Type) throws -> UInt64 { try take { try $0.integer(UInt64.self, at: $1) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try take { try $0.value(T.self, at: $1) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        guard !isAtEnd, decoder.tape.entries[element].kind == .object else { throw decoder.refused("not an object") }
        return KeyedDecodingContainer(try TapeKeyedContainer<NestedKey>.opening(try take { $1 }, of: decoder))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard !isAtEnd, decoder.tape.entries[element].kind == .array else { throw decoder.refused("not an array") }
        return TapeUnkeyedContainer(decoder: decoder, array: try take { $1 })
    }

    mutating func superDecoder() throws -> any Decoder {
        throw decoder.refused("superDecoder is Foundation's to read")
    }
}

private struct TapeSingleValueContainer: SingleValueDecodingContainer {
    let decoder: TapeDecoder
    let index: Int

    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { decoder.isNull(index) }
    func decode(_: Bool.Type) throws -> Bool { try decoder.bool(at: index) }
    func decode(_: String.Type) throws -> String { try decoder.string(at: index) }
    func decode(_: Double.Type) throws -> Double { try decoder.double(at: index) }
    func decode(_: Float.Type) throws -> Float { throw decoder.refused("Float is Foundation's to read") }
    func decode(_: Int.Type) throws -> Int { try decoder.integer(Int.self, at: index) }
    func decode(_: Int8.Type) throws -> Int8 { try decoder.integer(Int8.self, at: index) }
    func decode(_: Int16.Type) throws -> Int16 { try decoder.integer(Int16.self, at: index) }
    func decode(_: Int32.Type) throws -> Int32 { try decoder.integer(Int32.self, at: index) }
    func decode(_: Int64.Type) throws -> Int64 { try decoder.integer(Int64.self, at: index) }
    func decode(_: UInt.Type) throws -> UInt { try decoder.integer(UInt.self, at: index) }
    func decode(_: UInt8.Type) throws -> UInt8 { try decoder.integer(UInt8.self, at: index) }
    func decode(_: UInt16.Type) throws -> UInt16 { try decoder.integer(UInt16.self, at: index) }
    func decode(_: UInt32.Type) throws -> UInt32 { try decoder.integer(UInt32.self, at: index) }
    func decode(_: UInt64.Type) throws -> UInt64 { try decoder.integer(UInt64.self, at: index) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.value(T.self, at: index) }
}
