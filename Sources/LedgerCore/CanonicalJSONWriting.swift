import Foundation

/// A type that writes its own canonical JSON: the bytes `CanonicalJSONEncoder` (and Foundation's
/// encoder with `[.sortedKeys, .withoutEscapingSlashes]`) would write for it, without going
/// through `Encoder`. For the few types every command encodes: through `Encodable`, each member
/// is a call through an existential container, a node boxed and its key sorted and quoted when
/// written out, which was 38,500 instructions for a command's metadata under callgrind.
///
/// A conforming type writes its members in the order of their keys' UTF-8 bytes, leaves out
/// optionals that are nil (as a synthesized `encode(to:)` does with `encodeIfPresent`), and quotes
/// every text with `JSONOutput.appendQuoted`. `CanonicalJSON.encode` takes this path for such a
/// type when the compiler knows it; debug builds (every test) compare it with Foundation's bytes.
public protocol CanonicalJSONWriting: Encodable {
    func appendCanonicalJSON(to bytes: inout [UInt8])
}

extension JSONOutput {
    /// Appends `"key":`, after a comma unless it is the object's first member. Keys are the
    /// type's own ASCII literals: nothing in them to escape.
    @inline(__always)
    package static func appendKey(_ key: StaticString, first: inout Bool, to bytes: inout [UInt8]) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// A member whose value is a text, left out when it is nil.
    @inline(__always)
    package static func appendMember(_ key: StaticString, _ value: String?, first: inout Bool, to bytes: inout [UInt8]) {
        guard let value else { return }
        appendKey(key, first: &first, to: &bytes)
        appendQuoted(value, to: &bytes)
    }
}

extension JSONOutput {
    /// A member whose value is an integer, left out when it is nil.
    @inline(__always)
    package static func appendMember(_ key: StaticString, _ value: Int64?, first: inout Bool, to bytes: inout [UInt8]) {
        guard let value else { return }
        appendKey(key, first: &first, to: &bytes)
        appendDecimal(value, to: &bytes)
    }

    /// A member whose value is a Boolean, left out when it is nil.
    @inline(__always)
    package static func appendMember(_ key: StaticString, _ value: Bool?, first: inout Bool, to bytes: inout [UInt8]) {
        guard let value else { return }
        appendKey(key, first: &first, to: &bytes)
        let literal: StaticString = value ? "true" : "false"
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A member whose value writes itself, left out when it is nil.
    @inline(__always)
    package static func appendMember(
        _ key: StaticString, _ value: (some CanonicalJSONWriting)?, first: inout Bool, to bytes: inout [UInt8]
    ) {
        guard let value else { return }
        appendKey(key, first: &first, to: &bytes)
        value.appendCanonicalJSON(to: &bytes)
    }
}
