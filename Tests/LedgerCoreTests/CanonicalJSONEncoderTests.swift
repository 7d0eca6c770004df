import Foundation
import LedgerCore
import PropertyBased
import Testing

/// `CanonicalJSONEncoder` writes the log's hashed JSON in Foundation's place, so it must never
/// write other bytes: where it answers, Foundation writes the same; where Foundation might write
/// something else, it refuses and `CanonicalJSON.encode` gives Foundation's bytes.
@Suite struct CanonicalJSONEncoderTests {
    static let foundation: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    struct Unordered: Codable {
        var zeta = 1
        var alpha = "a"
        var Beta = true
        var _under: String? = nil
        var mid: [Int8] = [-128, 127]
        var nested: [String: UInt64] = ["b": .max, "a": 0, "B": 1, "10": 2, "9": 3, "": 4]
    }

    struct EscapedKeys: Codable {
        var quote = 1
        var tab = 2
        enum CodingKeys: String, CodingKey {
            case quote = "a\"b\\c"
            case tab = "t\tu/v"
        }
    }

    struct Empty: Codable {}

    enum Choice: Codable {
        case plain
        case with(amountMsat: Int64, note: String?)
    }

    /// Values both write alike, byte for byte.
    static let writtenAlike: [(name: String, value: any Encodable & Sendable)] = [
        ("escapes", "Zoë “q” \"e\" \\ / \u{8}\u{C}\n\r\t \u{0}\u{1}\u{F}\u{10}\u{1F} \u{7F} 🦀 e\u{301}"),
        ("integers", [Int.min, Int.max, 0, -1, 10, 1_000_000]),
        ("unsigned", [UInt64.max, 0, 18_446_744_073_709_551_000]),
        ("small integers", [Int8.min, Int8.max]), ("unsigned bytes", [UInt8.max, 0]),
        ("mixed widths", [Int16.min, Int16.max]), ("int32", [Int32.min]), ("uint32", [UInt32.max]),
        ("uint16", [UInt16.max]), ("uint", [UInt.max]),
        ("bool", true), ("an empty string", ""), ("nil", String?.none), ("optionals in a list", [nil, "x", nil] as [String?]),
        ("unordered members", Unordered()), ("a key to escape", EscapedKeys()), ("empty struct", Empty()),
        ("empty list", [Int]()), ("empty table", [String: Int]()),
        ("enum with values", [Choice.plain, .with(amountMsat: -5, note: nil), .with(amountMsat: 7, note: "n")]),
        ("integer keys", [3: "c", 1: "a", 20: "t"]),
        (
            "keys alike in their first 16 bytes",
            [
                "abcdefghijklmnopr": 1, "abcdefghijklmnop": 2, "abcdefghijklmnopq": 3, "abcdefghijklmno": 4,
                "abcdefghijklmnoq": 5, "a\u{0}": 6, "a": 7,
            ]
        ),
        ("nested lists", [[["a"]], [], [["b", "c"]]]),
        ("stored reservation", try! JSONDecoder().decode(SpendReserved.self, from: Data(StoredFixtures.spendReserved.utf8))),
        ("stored metadata", try! JSONDecoder().decode(EventMetadata.self, from: Data(StoredFixtures.meta.utf8))),
    ]

    @Test(arguments: writtenAlike.map(\.name))
    func aValueIsWrittenAsFoundationWritesIt(_ name: String) throws {
        let value = try #require(Self.writtenAlike.first { $0.name == name }).value
        let ours = try CanonicalJSONEncoder.encode(value)
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: try Self.foundation.encode(value), as: UTF8.self))
        #expect(ours == (try Self.foundation.encode(value)))
    }

    @Test func theLogsOwnTextsAreWrittenBackByteForByte() throws {
        let reserved = try JSONDecoder().decode(SpendReserved.self, from: Data(StoredFixtures.spendReserved.utf8))
        #expect(try CanonicalJSONEncoder.encode(reserved) == Data(StoredFixtures.spendReserved.utf8))
        let meta = try JSONDecoder().decode(EventMetadata.self, from: Data(StoredFixtures.meta.utf8))
        #expect(try CanonicalJSONEncoder.encode(meta) == Data(StoredFixtures.meta.utf8))
    }

    /// A key equal as a String to another (the Kelvin sign is "K"): Foundation keeps one member.
    struct KelvinAndK: Encodable {
        enum CodingKeys: String, CodingKey {
            case kelvin = "\u{212A}"
            case k = "K"
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(1, forKey: .kelvin)
            try container.encode(2, forKey: .k)
        }
    }

    struct Twice: Encodable {
        enum CodingKeys: String, CodingKey { case a }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(1, forKey: .a)
            try container.encode(2, forKey: .a)
        }
    }

    struct WithSuper: Encodable {
        enum CodingKeys: String, CodingKey { case a }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(1, forKey: .a)
            var inner = container.superEncoder().singleValueContainer()
            try inner.encode("super")
        }
    }

    struct Nothing: Encodable {
        func encode(to _: any Encoder) throws {}
    }

    struct Deep: Encodable {
        var levels: Int
        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            if levels > 0 { try container.encode(Deep(levels: levels - 1)) }
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue _: Int) { nil }
    }

    /// Refusals caught by the value, which goes on: Foundation would have written what was refused.
    struct CatchesRefusals: Encodable {
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: AnyKey.self)
            try container.encode(1, forKey: AnyKey("a"))
            try? container.encode(1.5, forKey: AnyKey("x"))
            try? container.encode(Date(timeIntervalSinceReferenceDate: 0), forKey: AnyKey("d"))
            try? container.encode(Nothing(), forKey: AnyKey("n"))
            try? container.encode(Int128(1), forKey: AnyKey("wide"))
        }
    }

    struct FallsBackToText: Encodable {
        var value: Double
        func encode(to encoder: any Encoder) throws {
            var single = encoder.singleValueContainer()
            do { try single.encode(value) } catch { try single.encode(String(value)) }
        }
    }

    /// A value below the top that writes where it is: Foundation's path is not empty there.
    struct WritesItsPath: Encodable {
        func encode(to encoder: any Encoder) throws {
            var single = encoder.singleValueContainer()
            try single.encode(encoder.codingPath.map(\.stringValue).joined(separator: "."))
        }
    }

    /// A nested container at the top that writes its path's length: one key deep in Foundation.
    struct WritesANestedPath: Encodable {
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: AnyKey.self)
            var inner = container.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("inner"))
            try inner.encode(inner.codingPath.count, forKey: AnyKey("depth"))
        }
    }

    /// A container kept by one value and written by the next, after Foundation took its copy.
    final class KeptContainer: @unchecked Sendable {
        var container: KeyedEncodingContainer<AnyKey>?
    }

    struct KeepsItsContainer: Encodable {
        let kept: KeptContainer
        func encode(to encoder: any Encoder) throws {
            kept.container = encoder.container(keyedBy: AnyKey.self)
            try kept.container?.encode(1, forKey: AnyKey("a"))
        }
    }

    struct WritesTheKeptContainer: Encodable {
        let kept: KeptContainer
        func encode(to encoder: any Encoder) throws {
            try kept.container?.encode(2, forKey: AnyKey("late"))
            var single = encoder.singleValueContainer()
            try single.encode(true)
        }
    }

    struct KeepAndWriteLate: Encodable {
        let kept = KeptContainer()
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: AnyKey.self)
            try container.encode(KeepsItsContainer(kept: kept), forKey: AnyKey("e"))
            try container.encode(WritesTheKeptContainer(kept: kept), forKey: AnyKey("f"))
        }
    }

    /// Values Foundation writes its own way (or may write one way or another): refused, and
    /// `CanonicalJSON.encode` gives Foundation's bytes, or Foundation's error.
    static let leftToFoundation: [(name: String, value: any Encodable & Sendable)] = [
        ("date", Date(timeIntervalSince1970: 1)), ("data", Data([0, 1, 2])), ("url", URL(string: "https://a.example/b")!),
        ("decimal", Decimal(string: "1.5")!), ("double", 1.5), ("float", Float(2)), ("doubles", [0.1, 1e300]),
        ("a key not ASCII", ["é": 1]), ("keys equal as Strings", KelvinAndK()), ("a key twice", Twice()),
        ("a super encoder", WithSuper()), ("nothing encoded", [Nothing()]),
        ("deep nesting", Deep(levels: CanonicalJSONEncoder.maximumDepth + 5)),
        ("refusals caught", CatchesRefusals()), ("a refusal caught in a list", [FallsBackToText(value: 1.5)]),
        ("a path read below the top", ["inner": [WritesItsPath()]]), ("a nested container's path read", WritesANestedPath()),
        ("a container written late", KeepAndWriteLate()),
        ("a 128-bit integer", [UInt128.max]),
    ]

    @Test(arguments: leftToFoundation.map(\.name))
    func aValueFoundationWritesItsOwnWayIsLeftToIt(_ name: String) throws {
        let value = try #require(Self.leftToFoundation.first { $0.name == name }).value
        #expect(throws: CanonicalJSONEncoder.Refused.self) { try CanonicalJSONEncoder.encode(value) }
        switch Result(catching: { try Self.foundation.encode(value) }) {
        case .success(let theirs): #expect(try CanonicalJSON.encode(value) == theirs)
        case .failure: #expect(throws: (any Error).self) { try CanonicalJSON.encode(value) }
        }
    }

    /// Nesting below the bound is written, as Foundation writes it.
    @Test func nestingBelowTheBoundIsWritten() throws {
        let deep = Deep(levels: CanonicalJSONEncoder.maximumDepth - 2)
        #expect(try CanonicalJSONEncoder.encode(deep) == Self.foundation.encode(deep))
    }

    struct Sample: Encodable {
        struct Inner: Encodable {
            var small: Int8
            var wide: UInt64
        }
        var text: String
        var number: Int64
        var flag: Bool
        var optional: String?
        var list: [Int32]
        var inner: Inner?
        var table: [String: Int]
        var texts: [String]
    }

    /// Pieces of text: every control character, quotes, backslashes, slashes, DEL and characters
    /// of one to four bytes.
    static let pieces: [String] = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) } + [
        "\"", "\\", "/", "\u{7F}", "a", "Z", "_", " ", "é", "e\u{301}", "€", "🦀", "\u{212A}", "K", "\u{FEFF}", "\u{10FFFF}",
    ]

    /// Some of them share their first 16 bytes and more (keys are ordered by those first).
    static let keyPieces = ["", "a", "B", "_", "9", "10", "k", "K", "abcdefghijklmnop", "abcdefghijklmnopq", "a\u{0}"]

    @Test func anyValueIsWrittenAsFoundationWritesIt() async {
        let texts = Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...8)
        await propertyCheck(
            count: 2_000, input: texts, Gen.int64(), Gen.int8(), Gen.uint64(), Gen.int32().array(of: 0...4)
        ) { pieces, number, small, wide, list in
            let text = pieces.map { Self.pieces[$0] }.joined()
            let sample = Sample(
                text: text, number: number, flag: number % 2 == 0, optional: small % 3 == 0 ? nil : text, list: list,
                inner: small % 2 == 0 ? Sample.Inner(small: small, wide: wide) : nil,
                // ASCII keys in any order and case, some of them prefixes of others.
                table: Dictionary(
                    pieces.enumerated().map { (Self.keyPieces[$0.element % Self.keyPieces.count] + "\($0.element % 5)", $0.offset) },
                    uniquingKeysWith: { first, _ in first }),
                texts: pieces.map { Self.pieces[$0] })
            let ours = try? CanonicalJSONEncoder.encode(sample)
            #expect(ours != nil && ours == (try? Self.foundation.encode(sample)))
        }
    }
}
