import Foundation

/// Encodes any `Encodable` into the bytes Foundation's `JSONEncoder` writes with
/// `[.sortedKeys, .withoutEscapingSlashes]` (the log's canonical form, `CanonicalJSON`), or
/// refuses. Written by hand because no package on this machine's list encodes JSON: in a profile
/// of keysend payments Foundation's encoder was 9 % of the server's samples, most of it on the
/// writer's one thread (event payloads, metadata, the answers), spent in a dictionary of values
/// per object, their hashing, and a fresh encoder per nested value.
///
/// This one keeps each object's members in arrays in the order they came, writes every scalar's
/// JSON text once into one buffer, and sorts the members by their keys' UTF-8 bytes only when it
/// writes the object out, as Foundation does on Linux. Where it might write other bytes than
/// Foundation it refuses instead (`CanonicalJSON.encode` then asks Foundation): the types
/// Foundation writes its own way (`Data`, `Date`, `URL`, `Decimal`), floating point, keys that are
/// not ASCII (Foundation's members are a dictionary keyed by `String`, which holds canonically
/// equivalent keys as one) or given twice, a value that encodes nothing, a super encoder, a coding
/// path read below the top, a container written after its value's `encode(to:)` returned (Foundation
/// has taken its copy by then), and nesting deeper than `maximumDepth`. A refusal sticks even when
/// the value catches it and goes on, since Foundation would have written what was refused.
///
/// A value refused here is encoded a second time by Foundation, so an `encode(to:)` with side
/// effects (counting its calls, reading a sequence once) would see two calls: the ledger's types
/// have none.
public enum CanonicalJSONEncoder {
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    /// Foundation refuses past 512 levels; refusing well before keeps this one's recursion short
    /// and leaves the error to Foundation.
    public static let maximumDepth = 128

    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = TreeEncoder()
        let root = try encoder.node(for: value)
        if let refusal = encoder.refusal { throw refusal }
        var output = JSONOutput()
        output.bytes.reserveCapacity(encoder.scalars.count + 64)
        try encoder.scalars.withUnsafeBufferPointer { scalars in
            try output.write(root, scalars: scalars, depth: 0)
        }
        return Data(output.bytes)
    }
}

/// A value on its way out: a scalar's JSON text (a range of `TreeEncoder.scalars`), or a
/// container whose members may still be added (containers are handed out before they are filled).
enum JSONNode {
    case scalar(Range<Int>)
    case object(JSONObjectBox)
    case array(JSONArrayBox)
}

// The boxes' and the encoder's stored properties are written only by the one encode that owns
// them, on one thread, never while another access is open: dynamic exclusivity checks on them
// (each `append` on a class's property) were an eighth of an encode's samples.
final class JSONObjectBox {
    @exclusivity(unchecked) var keys: [String] = []
    @exclusivity(unchecked) var values: [JSONNode] = []

    // Room for a usual struct's members at once, rather than four reallocations on the way.
    init() {
        keys.reserveCapacity(12)
        values.reserveCapacity(12)
    }
}

final class JSONArrayBox {
    @exclusivity(unchecked) var values: [JSONNode] = []
}

/// The `Encoder` every value's `encode(to:)` is handed. One per encode: a nested value takes
/// `produced` for its own and puts the parent's back, as its containers hold their boxes.
private final class TreeEncoder: Encoder {
    /// Every scalar's JSON text, end to end.
    @exclusivity(unchecked) var scalars: [UInt8] = []
    /// What the value being encoded asked for: its container, or its single value.
    @exclusivity(unchecked) var produced: JSONNode?
    @exclusivity(unchecked) var depth = 0
    /// The first refusal, kept even if the value caught the error and went on.
    @exclusivity(unchecked) var refusal: CanonicalJSONEncoder.Refused?
    /// Each `node(for:)` call's number, and the numbers of those still running: a container may be
    /// written only while the call that made it runs.
    @exclusivity(unchecked) private var calls = 0
    @exclusivity(unchecked) private var running: [Int] = []
    var currentCall: Int { running.last ?? 0 }

    init() {
        scalars.reserveCapacity(512)
        running.reserveCapacity(8)
    }

    /// Not tracked: empty is Foundation's answer at the top, and a value below it that asks is
    /// refused. `userInfo` is Foundation's: `CanonicalJSON`'s encoder sets none.
    var codingPath: [any CodingKey] { depth > 1 ? pathBelowTheTop() : [] }

    /// What a nested value or a nested container answers for its path: refused, as Foundation's
    /// is not empty there.
    func pathBelowTheTop() -> [any CodingKey] {
        _ = refused("a coding path read below the top")
        return []
    }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Whether a container made by call `owner` may still be written.
    func isRunning(_ owner: Int) -> Bool { running.contains(owner) }

    func container<Key: CodingKey>(keyedBy _: Key.Type) -> KeyedEncodingContainer<Key> {
        switch produced {
        case .object(let box): return KeyedEncodingContainer(TreeKeyedContainer<Key>(encoder: self, box: box, owner: currentCall))
        case nil:
            let box = JSONObjectBox()
            produced = .object(box)
            return KeyedEncodingContainer(TreeKeyedContainer<Key>(encoder: self, box: box, owner: currentCall))
        default:
            // Foundation merges or traps here; the box is never written, as the encoding is refused.
            note(refused("two kinds of container for one value"))
            return KeyedEncodingContainer(TreeKeyedContainer<Key>(encoder: self, box: JSONObjectBox(), owner: currentCall))
        }
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        switch produced {
        case .array(let box): return TreeUnkeyedContainer(encoder: self, box: box, owner: currentCall)
        case nil:
            let box = JSONArrayBox()
            produced = .array(box)
            return TreeUnkeyedContainer(encoder: self, box: box, owner: currentCall)
        default:
            note(refused("two kinds of container for one value"))
            return TreeUnkeyedContainer(encoder: self, box: JSONArrayBox(), owner: currentCall)
        }
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { TreeSingleValueContainer(encoder: self, owner: currentCall) }

    /// A refusal made and kept: every refusal goes through here, thrown or (where the call cannot
    /// throw) only kept.
    func refused(_ reason: String) -> CanonicalJSONEncoder.Refused {
        let refusal = CanonicalJSONEncoder.Refused(description: reason)
        note(refusal)
        return refusal
    }

    func note(_ refusal: CanonicalJSONEncoder.Refused) {
        if self.refusal == nil { self.refusal = refusal }
    }

    /// A container's write: refused once the call that made the container has returned.
    func checkWritable(_ owner: Int) throws {
        guard isRunning(owner) else { throw refused("a container written after its value was encoded") }
    }

    /// `value` as a node: the common leaves written straight away, anything else through its
    /// `encode(to:)` with `produced` its own for the while.
    func node<T: Encodable>(for value: T) throws -> JSONNode {
        if T.self == String.self { return scalar(string: value as! String) }
        if T.self == Int.self { return scalar(integer: Int64(value as! Int)) }
        if T.self == Int64.self { return scalar(integer: value as! Int64) }
        if T.self == Bool.self { return scalar(literal: value as! Bool ? "true" : "false") }
        // Foundation writes these its own way (base64, dates by strategy, URL strings, decimal text).
        if T.self == Data.self || T.self == Date.self || T.self == URL.self || T.self == Decimal.self {
            throw refused("\(T.self) is Foundation's to write")
        }
        guard depth < CanonicalJSONEncoder.maximumDepth else { throw refused("nested too deep") }
        let saved = produced
        produced = nil
        depth += 1
        calls += 1
        running.append(calls)
        defer {
            produced = saved
            depth -= 1
            running.removeLast()
        }
        try value.encode(to: self)
        if let refusal { throw refusal }
        guard let node = produced else { throw refused("\(T.self) encoded nothing") }
        return node
    }

    func scalar(literal: StaticString) -> JSONNode {
        let start = scalars.count
        literal.withUTF8Buffer { scalars.append(contentsOf: $0) }
        return .scalar(start..<scalars.count)
    }

    func scalar(string: String) -> JSONNode {
        let start = scalars.count
        JSONOutput.appendQuoted(string, to: &scalars)
        return .scalar(start..<scalars.count)
    }

    func scalar(integer: Int64) -> JSONNode {
        let start = scalars.count
        JSONOutput.appendDecimal(integer, to: &scalars)
        return .scalar(start..<scalars.count)
    }

    func scalar(unsigned: UInt64) -> JSONNode {
        let start = scalars.count
        JSONOutput.appendDecimal(unsigned, negative: false, to: &scalars)
        return .scalar(start..<scalars.count)
    }

    /// The fixed-width integers Foundation writes as their `description`, and the floating point
    /// it writes its own way (refused).
    func scalar<T: BinaryInteger>(anyInteger value: T) -> JSONNode {
        if let signed = Int64(exactly: value) { return scalar(integer: signed) }
        return scalar(unsigned: UInt64(value))  // only UInt64 and UInt hold what Int64 cannot
    }
}

private struct TreeKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: TreeEncoder
    let box: JSONObjectBox
    /// The `node(for:)` call that made it.
    let owner: Int
    /// Made by `nestedContainer`: below its value's own container, so its path is not empty.
    var isNested = false
    var codingPath: [any CodingKey] { isNested ? encoder.pathBelowTheTop() : encoder.codingPath }

    private func add(_ key: Key, _ node: JSONNode) throws {
        try encoder.checkWritable(owner)
        box.keys.append(key.stringValue)
        box.values.append(node)
    }

    mutating func encodeNil(forKey key: Key) throws { try add(key, encoder.scalar(literal: "null")) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try add(key, encoder.scalar(literal: value ? "true" : "false")) }
    mutating func encode(_ value: String, forKey key: Key) throws { try add(key, encoder.scalar(string: value)) }
    mutating func encode(_: Double, forKey _: Key) throws { throw encoder.refused("floating point") }
    mutating func encode(_: Float, forKey _: Key) throws { throw encoder.refused("floating point") }
    mutating func encode(_ value: Int, forKey key: Key) throws { try add(key, encoder.scalar(integer: Int64(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try add(key, encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try add(key, encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try add(key, encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try add(key, encoder.scalar(integer: value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try add(key, encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try add(key, encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try add(key, encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try add(key, encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try add(key, encoder.scalar(anyInteger: value)) }
    mutating func encode(_: Int128, forKey _: Key) throws { throw encoder.refused("a 128-bit integer") }
    mutating func encode(_: UInt128, forKey _: Key) throws { throw encoder.refused("a 128-bit integer") }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try add(key, try encoder.node(for: value)) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy _: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        _ = try? add(key, .object(nested))
        return KeyedEncodingContainer(TreeKeyedContainer<NestedKey>(encoder: encoder, box: nested, owner: owner, isNested: true))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        _ = try? add(key, .array(nested))
        return TreeUnkeyedContainer(encoder: encoder, box: nested, owner: owner, isNested: true)
    }

    // Foundation fills a super encoder's value in when that encoder goes away: refused rather
    // than followed. (`refused` keeps the refusal; the returned encoder is never written out.)
    mutating func superEncoder() -> any Encoder {
        _ = encoder.refused("a super encoder")
        return TreeEncoder()
    }

    mutating func superEncoder(forKey _: Key) -> any Encoder {
        _ = encoder.refused("a super encoder")
        return TreeEncoder()
    }
}

private struct TreeUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: TreeEncoder
    let box: JSONArrayBox
    /// The `node(for:)` call that made it.
    let owner: Int
    /// Made by `nestedUnkeyedContainer`: below its value's own container, so its path is not empty.
    var isNested = false
    var codingPath: [any CodingKey] { isNested ? encoder.pathBelowTheTop() : encoder.codingPath }
    var count: Int { box.values.count }

    private func add(_ node: JSONNode) throws {
        try encoder.checkWritable(owner)
        box.values.append(node)
    }

    mutating func encodeNil() throws { try add(encoder.scalar(literal: "null")) }
    mutating func encode(_ value: Bool) throws { try add(encoder.scalar(literal: value ? "true" : "false")) }
    mutating func encode(_ value: String) throws { try add(encoder.scalar(string: value)) }
    mutating func encode(_: Double) throws { throw encoder.refused("floating point") }
    mutating func encode(_: Float) throws { throw encoder.refused("floating point") }
    mutating func encode(_ value: Int) throws { try add(encoder.scalar(integer: Int64(value))) }
    mutating func encode(_ value: Int8) throws { try add(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: Int16) throws { try add(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: Int32) throws { try add(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: Int64) throws { try add(encoder.scalar(integer: value)) }
    mutating func encode(_ value: UInt) throws { try add(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: UInt8) throws { try add(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: UInt16) throws { try add(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: UInt32) throws { try add(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: UInt64) throws { try add(encoder.scalar(anyInteger: value)) }
    mutating func encode(_: Int128) throws { throw encoder.refused("a 128-bit integer") }
    mutating func encode(_: UInt128) throws { throw encoder.refused("a 128-bit integer") }
    mutating func encode<T: Encodable>(_ value: T) throws { try add(try encoder.node(for: value)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        _ = try? add(.object(nested))
        return KeyedEncodingContainer(TreeKeyedContainer<NestedKey>(encoder: encoder, box: nested, owner: owner, isNested: true))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        _ = try? add(.array(nested))
        return TreeUnkeyedContainer(encoder: encoder, box: nested, owner: owner, isNested: true)
    }

    mutating func superEncoder() -> any Encoder {
        _ = encoder.refused("a super encoder")
        return TreeEncoder()
    }
}

/// One value, written once, and only while its own call runs (it sets that call's `produced`).
private struct TreeSingleValueContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder
    /// The `node(for:)` call that made it.
    let owner: Int
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ node: JSONNode) {
        guard encoder.currentCall == owner else { return _ = encoder.refused("a single value written outside its call") }
        if encoder.produced != nil { _ = encoder.refused("a single value written twice") }
        encoder.produced = node
    }

    mutating func encodeNil() throws { set(encoder.scalar(literal: "null")) }
    mutating func encode(_ value: Bool) throws { set(encoder.scalar(literal: value ? "true" : "false")) }
    mutating func encode(_ value: String) throws { set(encoder.scalar(string: value)) }
    mutating func encode(_: Double) throws { throw encoder.refused("floating point") }
    mutating func encode(_: Float) throws { throw encoder.refused("floating point") }
    mutating func encode(_ value: Int) throws { set(encoder.scalar(integer: Int64(value))) }
    mutating func encode(_ value: Int8) throws { set(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: Int16) throws { set(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: Int32) throws { set(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: Int64) throws { set(encoder.scalar(integer: value)) }
    mutating func encode(_ value: UInt) throws { set(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: UInt8) throws { set(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: UInt16) throws { set(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: UInt32) throws { set(encoder.scalar(anyInteger: value)) }
    mutating func encode(_ value: UInt64) throws { set(encoder.scalar(anyInteger: value)) }
    mutating func encode(_: Int128) throws { throw encoder.refused("a 128-bit integer") }
    mutating func encode(_: UInt128) throws { throw encoder.refused("a 128-bit integer") }
    mutating func encode<T: Encodable>(_ value: T) throws {
        // The nested value's node replaces `produced` only once it is made: `node(for:)` puts
        // this value's own (nil) back first.
        let node = try encoder.node(for: value)
        set(node)
    }
}

/// The output, and the byte-level writing Foundation's `JSONWriter` does for these options.
package struct JSONOutput {
    var bytes: [UInt8] = []

    mutating func write(_ node: JSONNode, scalars: UnsafeBufferPointer<UInt8>, depth: Int) throws {
        // Nested containers deepen the tree without a `node(for:)` call, which bounds the rest.
        guard depth < CanonicalJSONEncoder.maximumDepth else { throw CanonicalJSONEncoder.Refused(description: "nested too deep") }
        switch node {
        case .scalar(let range):
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scalars[range]))
        case .array(let box):
            bytes.append(UInt8(ascii: "["))
            for (index, value) in box.values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                try write(value, scalars: scalars, depth: depth + 1)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let box):
            let order = try Self.sortedOrder(box.keys)
            bytes.append(UInt8(ascii: "{"))
            for position in box.keys.indices {
                let index = order?[position] ?? position
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.appendQuoted(box.keys[index], to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                try write(box.values[index], scalars: scalars, depth: depth + 1)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// The members' order by their keys' UTF-8 bytes (Foundation's `sortedKeys` on Linux), or nil
    /// when they came in that order. Refuses keys that are not ASCII and keys given twice:
    /// Foundation keeps members in a `[String: …]`, which takes canonically equivalent keys as one
    /// and a repeated key's last value, so its output there is not a plain sort's. Once every key
    /// is ASCII, String's own `<` and `==` are its bytes' order and equality (Swift compares ASCII
    /// as bytes), and quicker than a walk of two UTF-8 views.
    ///
    /// Keys are compared by their first 16 bytes as two big-endian integers, then by length, and
    /// as Strings only when both are longer and those bytes are equal, and each key's bytes are
    /// read once, in place: String comparisons and walks of `utf8` were this function's 4,600
    /// instructions an object under callgrind.
    static func sortedOrder(_ keys: [String]) throws -> [Int]? {
        try withUnsafeTemporaryAllocation(of: KeyPrefix.self, capacity: keys.count) { prefixes in
            for (index, key) in keys.enumerated() {
                guard let prefix = KeyPrefix(key) else {
                    throw CanonicalJSONEncoder.Refused(description: "a key that is not ASCII")
                }
                (prefixes.baseAddress! + index).initialize(to: prefix)
            }
            guard keys.count > 1 else { return nil }
            func ascending(_ first: Int, _ second: Int) -> Bool {
                let (a, b) = (prefixes[first], prefixes[second])
                if a.high != b.high { return a.high < b.high }
                if a.low != b.low { return a.low < b.low }
                if a.count <= 16 || b.count <= 16 { return a.count < b.count }
                return keys[first] < keys[second]
            }
            // Structs' keys often come sorted already; checking is cheaper than sorting, and keys
            // in strictly rising order hold no repeat.
            var sorted = true
            for index in 1..<keys.count where !ascending(index - 1, index) {
                sorted = false
                break
            }
            if sorted { return nil }
            var order = Array(keys.indices)
            order.sort(by: ascending)
            for position in 1..<order.count where !ascending(order[position - 1], order[position]) {
                throw CanonicalJSONEncoder.Refused(description: "a key given twice")
            }
            return order
        }
    }

    /// A key's first 16 bytes as two big-endian integers (zeros after its end), and its length:
    /// ASCII keys order as these do, up to ties between keys longer than 16 bytes.
    struct KeyPrefix {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var count = 0

        /// Nil when the key is not ASCII.
        init?(_ key: String) {
            var key = key
            let (high, low, count, ascii) = key.withUTF8 { bytes -> (UInt64, UInt64, Int, Bool) in
                var high: UInt64 = 0
                var low: UInt64 = 0
                var any: UInt8 = 0
                for index in 0..<bytes.count {
                    let byte = bytes[index]
                    any |= byte
                    if index < 8 {
                        high |= UInt64(byte) << (56 - 8 * index)
                    } else if index < 16 {
                        low |= UInt64(byte) << (56 - 8 * (index - 8))
                    }
                }
                return (high, low, bytes.count, any < 0x80)
            }
            guard ascii else { return nil }
            self.high = high
            self.low = low
            self.count = count
        }
    }

    /// A string between quotes with Foundation's escapes: `"` and `\` by a backslash, the controls
    /// it names (\b \f \n \r \t) by name, the other controls as `\u00xx` in lower-case hex, and
    /// nothing else (no `/`, no DEL, no non-ASCII).
    static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var mark = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark..<index]))
                mark = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigit(byte >> 4), hexDigit(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// Also the decimal time in a stored value's window (`EventStorageCodec.contextPrefix`).
    package static func appendDecimal(_ value: Int64, to bytes: inout [UInt8]) {
        appendDecimal(value.magnitude, negative: value < 0, to: &bytes)
    }

    /// An integer's decimal digits, as its `description` gives them.
    static func appendDecimal(_ magnitude: UInt64, negative: Bool, to bytes: inout [UInt8]) {
        if negative { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 20 digits at most, in 24 bytes
        var count = 0
        var rest = magnitude
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }
}
