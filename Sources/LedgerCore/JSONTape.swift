import Foundation

/// A JSON text parsed once into a flat list of its values in document order (a tape), for
/// `TapeJSONDecoder`. Each entry holds where its bytes lie in the text; an object's or array's
/// entry holds where its members end, so a reader steps over a whole value in one move.
///
/// Strict where Foundation's parser is strict, and stricter where that is cheap: anything it is
/// not sure Foundation would read the same way (an escaped key, a string of bad UTF-8, nesting
/// deeper than `depthMax`) is refused, and the caller falls back to Foundation.
struct JSONTape {
    enum Kind: UInt8 {
        case object, array, string
        /// A string with a backslash in it: `string(_:)` reads its escapes.
        case escapedString
        /// A number with neither fraction nor exponent.
        case integer
        /// A number with a fraction, an exponent or both.
        case number
        case `true`, `false`, null
    }

    struct Entry {
        var kind: Kind
        /// Strings: the bytes between the quotes; numbers: the number's bytes.
        var start: Int
        var end: Int
        /// Objects and arrays: the index of the entry after the last member (the next sibling).
        var next: Int = 0
        /// Objects: member pairs; arrays: elements.
        var count: Int = 0
    }

    /// Not JSON, or JSON this reader leaves to Foundation: refused alike.
    typealias Malformed = TapeJSONDecoder.Refused

    /// Foundation refuses deeper nesting too (at 512); no event comes near either.
    static let depthMax = 256

    let bytes: [UInt8]
    private(set) var entries: [Entry] = []

    init(parsing bytes: [UInt8]) throws {
        self.bytes = bytes
        entries.reserveCapacity(bytes.count / 8 + 4)
        var position = 0
        try bytes.withUnsafeBufferPointer { text in
            try parseValue(text, &position, depth: 0)
            skipWhitespace(text, &position)
            guard position == text.count else { throw Malformed(description: "bytes after the value at \(position)") }
        }
    }

    /// The index of the entry after `index` and everything it holds.
    func next(after index: Int) -> Int {
        switch entries[index].kind {
        case .object, .array: entries[index].next
        default: index + 1
        }
    }

    private func skipWhitespace(_ text: UnsafeBufferPointer<UInt8>, _ position: inout Int) {
        while position < text.count {
            switch text[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func parseValue(_ text: UnsafeBufferPointer<UInt8>, _ position: inout Int, depth: Int) throws {
        skipWhitespace(text, &position)
        guard position < text.count else { throw Malformed(description: "the text ends where a value should be") }
        switch text[position] {
        case UInt8(ascii: "{"): try parseObject(text, &position, depth: depth)
        case UInt8(ascii: "["): try parseArray(text, &position, depth: depth)
        case UInt8(ascii: "\""): try parseString(text, &position)
        case UInt8(ascii: "t"): try parseLiteral(text, &position, "true", .true)
        case UInt8(ascii: "f"): try parseLiteral(text, &position, "false", .false)
        case UInt8(ascii: "n"): try parseLiteral(text, &position, "null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber(text, &position)
        default: throw Malformed(description: "no value at \(position)")
        }
    }

    private mutating func parseObject(_ text: UnsafeBufferPointer<UInt8>, _ position: inout Int, depth: Int) throws {
        guard depth < Self.depthMax else { throw Malformed(description: "nested deeper than \(Self.depthMax)") }
        let index = entries.count
        entries.append(Entry(kind: .object, start: position, end: position))
        position += 1
        skipWhitespace(text, &position)
        var count = 0
        if position < text.count, text[position] == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace(text, &position)
                guard position < text.count, text[position] == UInt8(ascii: "\"") else {
                    throw Malformed(description: "no key at \(position)")
                }
                try parseString(text, &position)
                // Keys are compared as their bytes, which for ASCII is what Foundation's String
                // keys compare. An escaped key could equal another spelt plainly, and two
                // non-ASCII keys may be equal as Strings (canonically equivalent) but not as bytes.
                let key = entries[entries.count - 1]
                guard key.kind == .string, text[key.start..<key.end].allSatisfy({ $0 < 0x80 }) else {
                    throw Malformed(description: "an escaped or non-ASCII key at \(position)")
                }
                skipWhitespace(text, &position)
                guard position < text.count, text[position] == UInt8(ascii: ":") else {
                    throw Malformed(description: "no ':' at \(position)")
                }
                position += 1
                try parseValue(text, &position, depth: depth + 1)
                count += 1
                skipWhitespace(text, &position)
                guard position < text.count else { throw Malformed(description: "an object that does not end") }
                if text[position] == UInt8(ascii: ",") {
                    position += 1
                } else if text[position] == UInt8(ascii: "}") {
                    position += 1
                    break
                } else {
                    throw Malformed(description: "no ',' or '}' at \(position)")
                }
            }
        }
        entries[index].end = position
        entries[index].next = entries.count
        entries[index].count = count
        try refuseRepeatedKeys(object: index, text)
    }

    /// Which of two equal keys wins is Foundation's to say; neither is guessed here.
    private func refuseRepeatedKeys(object index: Int, _ text: UnsafeBufferPointer<UInt8>) throws {
        let count = entries[index].count
        guard count > 1 else { return }
        if keysAscend(object: index, text) { return }
        var keys: [Int] = []
        keys.reserveCapacity(count)
        var member = index + 1
        for _ in 0..<count {
            keys.append(member)
            member = next(after: member + 1)
        }
        func same(_ a: Int, _ b: Int) -> Bool {
            let x = entries[a], y = entries[b]
            guard x.end - x.start == y.end - y.start else { return false }
            return UnsafeBufferPointer(rebasing: text[x.start..<x.end]).elementsEqual(
                UnsafeBufferPointer(rebasing: text[y.start..<y.end]))
        }
        if count <= 16 {
            for i in 1..<count where keys[..<i].contains(where: { same($0, keys[i]) }) {
                throw Malformed(description: "a key repeated in one object")
            }
        } else {
            var seen = Set<ArraySlice<UInt8>>()
            for key in keys where !seen.insert(bytes[entries[key].start..<entries[key].end]).inserted {
                throw Malformed(description: "a key repeated in one object")
            }
        }
    }

    /// Whether the object's keys come in strictly ascending byte order, as the ledger writes every
    /// object it stores: then none repeats, found in one pass and without a list of the keys.
    private func keysAscend(object index: Int, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var previous = index + 1
        var member = next(after: previous + 1)
        for _ in 1..<entries[index].count {
            let x = entries[previous], y = entries[member]
            let common = min(x.end - x.start, y.end - y.start)
            let order = common == 0 ? 0 : memcmp(text.baseAddress! + x.start, text.baseAddress! + y.start, common)
            guard order < 0 || (order == 0 && x.end - x.start < y.end - y.start) else { return false }
            previous = member
            member = next(after: member + 1)
        }
        return true
    }

    private mutating func parseArray(_ text: UnsafeBufferPointer<UInt8>, _ position: inout Int, depth: Int) throws {
        guard depth < Self.depthMax else { throw Malformed(description: "nested deeper than \(Self.depthMax)") }
        let index = entries.count
        entries.append(Entry(kind: .array, start: position, end: position))
        position += 1
        skipWhitespace(text, &position)
        var count = 0
        if position < text.count, text[position] == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                try parseValue(text, &position, depth: depth + 1)
                count += 1
                skipWhitespace(text, &position)
                guard position < text.count else { throw Malformed(description: "an array that does not end") }
                if text[position] == UInt8(ascii: ",") {
                    position += 1
                } else if text[position] == UInt8(ascii: "]") {
                    position += 1
                    break
                } else {
                    throw Malformed(description: "no ',' or ']' at \(position)")
                }
            }
        }
        entries[index].end = position
        entries[index].next = entries.count
        entries[index].count = count
    }

    /// Finds the closing quote, checking each escape (a read string unescapes them again,
    /// `unescaped(_:)`). A control character is refused, as JSON requires; so are bytes that are
    /// not UTF-8 and a `\u` escape of half a surrogate pair.
    private mutating func parseString(_ text: UnsafeBufferPointer<UInt8>, _ position: inout Int) throws {
        let start = position + 1
        var cursor = start
        var escaped = false
        var ascii = true
        while true {
            cursor = Self.plainASCIIEnd(text, from: cursor)
            guard cursor < text.count else { throw Malformed(description: "a string that does not end") }
            let byte = text[cursor]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                cursor = try Self.escape(text, at: cursor) { _ in }
                continue
            }
            if byte < 0x20 { throw Malformed(description: "a control character in a string at \(cursor)") }
            if byte >= 0x80 { ascii = false }
            cursor += 1
        }
        if !ascii, String(validating: UnsafeBufferPointer(rebasing: text[start..<cursor]), as: UTF8.self) == nil {
            throw Malformed(description: "a string that is not UTF-8 at \(start)")
        }
        entries.append(Entry(kind: escaped ? .escapedString : .string, start: start, end: cursor))
        position = cursor + 1
    }

    /// The first index from `start` whose byte the string loop must look at (a quote, a backslash,
    /// a control character or a byte of a multi-byte character), eight bytes at a time: a byte at
    /// a time, the loop was the tape's largest cost in a replay (7,800 instructions an event under
    /// callgrind). Within the last eight bytes of the text the loop looks at each byte itself.
    ///
    /// Each test marks a byte's top bit. The subtractions' borrows run from the lowest byte up, so
    /// a byte may be marked wrongly only above one marked rightly: the lowest mark, in the word read
    /// little-endian, is the first byte to look at.
    static func plainASCIIEnd(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = text.baseAddress else { return start }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var cursor = start
        while cursor + 8 <= text.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + cursor).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special =
                ((quote &- ones) & ~quote)  // a byte equal to '"'
                | ((backslash &- ones) & ~backslash)  // equal to '\'
                | ((word &- ones &* 0x20) & ~word)  // below 0x20
                | word  // 0x80 and above
            let marks = special & highs
            if marks != 0 { return cursor + marks.trailingZeroBitCount / 8 }
            cursor += 8
        }
        return cursor
    }

    private mutating func parseLiteral(
        _ text: UnsafeBufferPointer<UInt8>, _ position: inout Int, _ literal: StaticString, _ kind: Kind
    ) throws {
        let count = literal.utf8CodeUnitCount
        guard position + count <= text.count,
            UnsafeBufferPointer(rebasing: text[position..<(position + count)]).elementsEqual(
                UnsafeBufferPointer(start: literal.utf8Start, count: count))
        else { throw Malformed(description: "no value at \(position)") }
        entries.append(Entry(kind: kind, start: position, end: position + count))
        position += count
    }

    /// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func parseNumber(_ text: UnsafeBufferPointer<UInt8>, _ position: inout Int) throws {
        let start = position
        var cursor = position
        func digits() -> Int {
            let from = cursor
            while cursor < text.count, text[cursor] >= UInt8(ascii: "0"), text[cursor] <= UInt8(ascii: "9") { cursor += 1 }
            return cursor - from
        }
        if text[cursor] == UInt8(ascii: "-") { cursor += 1 }
        let integerStart = cursor
        let integerDigits = digits()
        guard integerDigits > 0, integerDigits == 1 || text[integerStart] != UInt8(ascii: "0") else {
            throw Malformed(description: "a malformed number at \(start)")
        }
        var isInteger = true
        if cursor < text.count, text[cursor] == UInt8(ascii: ".") {
            cursor += 1
            guard digits() > 0 else { throw Malformed(description: "a malformed number at \(start)") }
            isInteger = false
        }
        if cursor < text.count, text[cursor] == UInt8(ascii: "e") || text[cursor] == UInt8(ascii: "E") {
            cursor += 1
            if cursor < text.count, text[cursor] == UInt8(ascii: "+") || text[cursor] == UInt8(ascii: "-") { cursor += 1 }
            guard digits() > 0 else { throw Malformed(description: "a malformed number at \(start)") }
            isInteger = false
        }
        entries.append(Entry(kind: isInteger ? .integer : .number, start: start, end: cursor))
        position = cursor
    }
}

extension JSONTape {
    /// Reads the escape at `at` (its backslash), hands its scalar to `body`, and returns the index
    /// after it. A `\u` high surrogate must be followed by a `\u` low one; they make one scalar.
    static func escape(
        _ text: UnsafeBufferPointer<UInt8>, at: Int, _ body: (Unicode.Scalar) -> Void
    ) throws -> Int {
        guard at + 1 < text.count else { throw Malformed(description: "an escape that does not end") }
        let simple: UInt8? =
            switch text[at + 1] {
            case UInt8(ascii: "\""): 0x22
            case UInt8(ascii: "\\"): 0x5C
            case UInt8(ascii: "/"): 0x2F
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        if let simple {
            body(Unicode.Scalar(simple))
            return at + 2
        }
        guard text[at + 1] == UInt8(ascii: "u") else { throw Malformed(description: "an unknown escape at \(at)") }
        let unit = try hex4(text, at + 2)
        switch unit {
        case 0xD800...0xDBFF:
            guard at + 11 < text.count, text[at + 6] == UInt8(ascii: "\\"), text[at + 7] == UInt8(ascii: "u") else {
                throw Malformed(description: "half a surrogate pair at \(at)")
            }
            let low = try hex4(text, at + 8)
            guard (0xDC00...0xDFFF).contains(low),
                let scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            else { throw Malformed(description: "half a surrogate pair at \(at)") }
            body(scalar)
            return at + 12
        case 0xDC00...0xDFFF:
            throw Malformed(description: "half a surrogate pair at \(at)")
        default:
            body(Unicode.Scalar(unit)!)
            return at + 6
        }
    }

    private static func hex4(_ text: UnsafeBufferPointer<UInt8>, _ at: Int) throws -> UInt32 {
        guard at + 4 <= text.count else { throw Malformed(description: "a \\u escape that does not end") }
        var value: UInt32 = 0
        for byte in text[at..<(at + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Malformed(description: "a \\u escape that is not hex at \(at)")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The text of a string entry, its escapes read.
    func string(_ index: Int) throws -> String {
        let entry = entries[index]
        return try bytes.withUnsafeBufferPointer { text in
            let raw = UnsafeBufferPointer(rebasing: text[entry.start..<entry.end])
            // Checked as UTF-8 when parsed.
            guard entry.kind == .escapedString else { return String(decoding: raw, as: UTF8.self) }
            var scalars = String.UnicodeScalarView()
            var cursor = entry.start
            var plainStart = cursor
            func flushPlain() {
                scalars.append(contentsOf: String(decoding: text[plainStart..<cursor], as: UTF8.self).unicodeScalars)
            }
            while cursor < entry.end {
                if text[cursor] == UInt8(ascii: "\\") {
                    flushPlain()
                    cursor = try Self.escape(text, at: cursor) { scalars.append($0) }
                    plainStart = cursor
                } else {
                    cursor += 1
                }
            }
            flushPlain()
            return String(scalars)
        }
    }

    /// A string entry's text; refused for any other kind of value.
    func stringValue(_ index: Int) throws -> String {
        switch entries[index].kind {
        case .string, .escapedString: return try string(index)
        default: throw Malformed(description: "not a string")
        }
    }

    /// A `true` or `false` entry; refused for any other kind of value.
    func boolValue(_ index: Int) throws -> Bool {
        switch entries[index].kind {
        case .true: return true
        case .false: return false
        default: throw Malformed(description: "not a boolean")
        }
    }

    /// A plain integer entry that fits `T`; refused otherwise (a fraction, an exponent, `-0` or a
    /// number past `T` is Foundation's to read).
    func integerValue<T: FixedWidthInteger>(_ index: Int, as _: T.Type) throws -> T {
        guard let value = integer(index, as: T.self) else {
            throw Malformed(description: "not an integer that fits \(T.self)")
        }
        return value
    }

    /// Members an object may have for a reader that finds each by walking them: decoding all of
    /// an object's m members costs m²/2 comparisons. A request body of a megabyte holds 87,000
    /// one-number members, billions of comparisons; Foundation indexes each object in a table,
    /// and reads the larger ones.
    static let readerMembersMax = 64

    /// Whether a string entry's text is a key's bytes (keys are never escaped).
    func stringEquals(_ index: Int, _ keyBytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let entry = entries[index]
        guard keyBytes.count == entry.end - entry.start else { return false }
        return bytes.withUnsafeBufferPointer { text in
            keyBytes.count == 0 || memcmp(text.baseAddress! + entry.start, keyBytes.baseAddress!, keyBytes.count) == 0
        }
    }

    /// An integer entry as `T`; nil when it is not an integer, or does not fit.
    func integer<T: FixedWidthInteger>(_ index: Int, as _: T.Type) -> T? {
        let entry = entries[index]
        guard entry.kind == .integer else { return nil }
        return bytes.withUnsafeBufferPointer { text in
            var cursor = entry.start
            let negative = text[cursor] == UInt8(ascii: "-")
            if negative { cursor += 1 }
            // "-0" is left to Foundation, as is anything whose sign or size is in doubt.
            if negative, entry.end - cursor == 1, text[cursor] == UInt8(ascii: "0") { return nil }
            var magnitude: UInt64 = 0
            while cursor < entry.end {
                let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(text[cursor] - UInt8(ascii: "0")))
                if overflow1 || overflow2 { return nil }
                magnitude = sum
                cursor += 1
            }
            if negative {
                guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
                let value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
                return T(exactly: value)
            }
            return T(exactly: magnitude)
        }
    }

    /// A number entry as a `Double`; nil when it is not a number or is out of range.
    func double(_ index: Int) -> Double? {
        let entry = entries[index]
        guard entry.kind == .integer || entry.kind == .number else { return nil }
        guard let value = Double(String(decoding: bytes[entry.start..<entry.end], as: UTF8.self)), value.isFinite else {
            return nil
        }
        return value
    }
}
