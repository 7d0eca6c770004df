import Foundation

/// A type that writes its own canonical JSON: the bytes `CanonicalJSONEncoder` (and Foundation's
/// encoder with `[.sortedKeys, .withoutEscapingSlashes]`) would write for it, without going
/// through `Encoder`. For the few types every command encodes: through `Encodable`, each member
/// is a call through an existential container, a node boxed and its key sorted and quoted when
/// written out, which was 38,500 instructions for a command's metadata under callgrind.
///
/// A conforming type writes one `CanonicalJSONObject`, adding its members in the order of their
/// keys' UTF-8 bytes. `CanonicalJSON.encode` takes this path for such a type when the compiler
/// knows it (and `EventPayload.init` asks); debug builds (every test) compare it with
/// Foundation's bytes.
public protocol CanonicalJSONWriting: Encodable {
    func appendCanonicalJSON(to bytes: inout [UInt8])
}

/// An object being written: `{`, its members as they are added, `}`. Nil optionals are left out,
/// as a synthesized `encode(to:)` leaves them out (`encodeIfPresent`); texts are quoted with
/// Foundation's escapes (`JSONOutput.appendQuoted`). Keys are the type's own ASCII literals:
/// nothing in them to escape.
package struct CanonicalJSONObject {
    @usableFromInline var bytes: [UInt8]
    @usableFromInline var isEmpty = true

    @usableFromInline init(bytes: [UInt8]) { self.bytes = bytes }

    /// Writes the object `addMembers` fills to `bytes` (moved in and out, not copied).
    @inline(__always)
    package static func write(to bytes: inout [UInt8], _ addMembers: (inout CanonicalJSONObject) -> Void) {
        var object = CanonicalJSONObject(bytes: [])
        swap(&object.bytes, &bytes)
        object.bytes.append(UInt8(ascii: "{"))
        addMembers(&object)
        object.bytes.append(UInt8(ascii: "}"))
        swap(&object.bytes, &bytes)
    }

    @inline(__always)
    package mutating func member(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        appendKey(key)
        JSONOutput.appendQuoted(value, to: &bytes)
    }

    @inline(__always)
    package mutating func member(_ key: StaticString, _ value: Int64?) {
        guard let value else { return }
        appendKey(key)
        JSONOutput.appendDecimal(value, to: &bytes)
    }

    @inline(__always)
    package mutating func member(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        appendKey(key)
        let literal: StaticString = value ? "true" : "false"
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    package mutating func member(_ key: StaticString, _ value: (some CanonicalJSONWriting)?) {
        guard let value else { return }
        appendKey(key)
        value.appendCanonicalJSON(to: &bytes)
    }

    /// `"key":`, after a comma unless it is the first member.
    @inline(__always)
    mutating func appendKey(_ key: StaticString) {
        if !isEmpty { bytes.append(UInt8(ascii: ",")) }
        isEmpty = false
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }
}
