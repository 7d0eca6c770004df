import Foundation
import LedgerCore
import PropertyBased
import Testing

/// `TapeJSONDecoder` stands in for Foundation's decoder wherever the ledger reads its own JSON,
/// so it must never read a text differently: where it answers, Foundation answers the same;
/// where Foundation refuses, it refuses.
@Suite struct TapeJSONDecoderTests {
    static let foundation = JSONDecoder()

    /// Texts both read the same, as any JSON value and (where given) as a type.
    static let readAlike: [String] = [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"},"f":-12.5e3,"g":""}"#,
        #" { "spaced" : [ 1 , 2 ] , "t" :true } "#,
        #""Zoë — “quoted” \"escaped\" \\ \/ \b\f\n\r\t \u0001 \u00e9 \ud83e\udd80 🦀""#,
        #"[9223372036854775807,-9223372036854775808,0,-1,1e2,0.5,-0.0,1E-7]"#,
        // Keys ascending (one a prefix of the next), and not: neither repeats.
        #"{"a":1,"ab":2,"b":{"":3,"a":4}}"#, #"{"ab":1,"a":2,"":{"b":3,"a":4}}"#,
        "[]", "{}", "null", "true", "0", "\"\"",
        StoredFixtures.meta,
    ]

    @Test(arguments: readAlike)
    func aTextReadsAsFoundationReadsIt(_ text: String) throws {
        let data = Data(text.utf8)
        #expect(try TapeJSONDecoder.decode(JSONValue.self, from: data) == Self.foundation.decode(JSONValue.self, from: data))
    }

    /// Texts Foundation refuses (not JSON, or not the type asked for): refused here too.
    static let refusedByBoth: [(text: String, type: String)] = [
        (#"{"a":1"#, "value"), (#"{"a" 1}"#, "value"),
        (#"01"#, "value"), (#"1."#, "value"), (#".5"#, "value"), (#"+1"#, "value"), (#"1e"#, "value"),
        (#""\x""#, "value"), (#""\u12G4""#, "value"), ("\"tab\there\"", "value"), (#""open"#, "value"),
        (#"tru"#, "value"), (#"nul"#, "value"), (#"[1] 2"#, "value"), (#""#, "value"),
        (#"{"count":"1","query":"q","read_at_ms":1}"#, "AuditLogRead"),
        (#"{"count":1.5,"query":"q","read_at_ms":1}"#, "AuditLogRead"),
        (#"{"count":9223372036854775808,"query":"q","read_at_ms":1}"#, "AuditLogRead"),
        (#"{"query":"q","read_at_ms":1}"#, "AuditLogRead"),
        (#"{"count":null,"query":"q","read_at_ms":1}"#, "AuditLogRead"),
        (#"{"count":1,"query":7,"read_at_ms":1}"#, "AuditLogRead"),
        (#"[1,2]"#, "AuditLogRead"),
    ]

    @Test(arguments: refusedByBoth)
    func aTextFoundationRefusesIsRefused(_ input: (text: String, type: String)) {
        let data = Data(input.text.utf8)
        if input.type == "value" {
            #expect(throws: (any Error).self) { try Self.foundation.decode(JSONValue.self, from: data) }
            #expect(throws: (any Error).self) { try TapeJSONDecoder.decode(JSONValue.self, from: data) }
        } else {
            #expect(throws: (any Error).self) { try Self.foundation.decode(AuditLogRead.self, from: data) }
            #expect(throws: (any Error).self) { try TapeJSONDecoder.decode(AuditLogRead.self, from: data) }
        }
    }

    /// Texts Foundation may read one way or another (which of two keys wins, an integer written
    /// as a fraction, an escaped key, text that is not UTF-8, Foundation's own types, a trailing
    /// comma, which Foundation reads): refused, so that `CanonicalJSON.decode` asks Foundation.
    static let leftToFoundation: [(text: [UInt8], type: String)] = [
        (Array(#"[1,]"#.utf8), "value"), (Array(#"{"a":1,}"#.utf8), "value"),
        // Keys equal as Strings but not as bytes: Foundation keeps the first; a byte compare kept both.
        (Array("{\"\u{C5}\":\"a\",\"A\u{30A}\":\"b\"}".utf8), "dictionary"),
        (Array("{\"\u{212A}\":1}".utf8), "value"), (Array("{\"é\":1}".utf8), "value"),
        (Array(#"{"a":1,"a":2}"#.utf8), "value"),
        (Array(#"{"a":1,"\u0061":2}"#.utf8), "value"),
        (Array(#"{"count":1.0,"query":"q","read_at_ms":1}"#.utf8), "AuditLogRead"),
        (Array(#"{"count":1e2,"query":"q","read_at_ms":1}"#.utf8), "AuditLogRead"),
        (Array(#"{"count":-0,"query":"q","read_at_ms":1}"#.utf8), "AuditLogRead"),
        (Array(#""\ud800""#.utf8), "value"), (Array(#""\udc00x""#.utf8), "value"),
        ([0x22, 0xC3, 0x28, 0x22], "value"), ([0x22, 0xFF, 0x22], "value"),
        (Array(#""AAEC""#.utf8), "Data"), (Array("1e400".utf8), "value"),
        (Array(String(repeating: "[", count: 300).utf8) + Array(String(repeating: "]", count: 300).utf8), "value"),
    ]

    @Test(arguments: leftToFoundation)
    func aTextFoundationMightReadItsOwnWayIsRefused(_ input: (text: [UInt8], type: String)) {
        let data = Data(input.text)
        #expect(throws: TapeJSONDecoder.Refused.self) {
            switch input.type {
            case "value": _ = try TapeJSONDecoder.decode(JSONValue.self, from: data)
            case "Data": _ = try TapeJSONDecoder.decode(Data.self, from: data)
            case "dictionary": _ = try TapeJSONDecoder.decode([String: String].self, from: data)
            default: _ = try TapeJSONDecoder.decode(AuditLogRead.self, from: data)
            }
        }
    }

    @Test func keysRepeatedInALargeObjectAreRefusedToo() throws {
        let members = (0..<40).map { #""k\#($0 % 39)":\#($0)"# }.joined(separator: ",")
        #expect(throws: TapeJSONDecoder.Refused.self) { try TapeJSONDecoder.decode(JSONValue.self, from: Data("{\(members)}".utf8)) }
        let distinct = (0..<40).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        #expect(try TapeJSONDecoder.decode(JSONValue.self, from: Data("{\(distinct)}".utf8))["k39"] == .number(39))
    }

    /// An event and its envelope as the log holds them read as the same values.
    @Test func aStoredEventAndItsMetadataReadAsFoundationReadsThem() throws {
        let reserved = Data(StoredFixtures.spendReserved.utf8)
        let ours = try TapeJSONDecoder.decode(SpendReserved.self, from: reserved)
        #expect(try CanonicalJSON.encode(ours) == reserved)
        #expect(try CanonicalJSON.encode(ours) == CanonicalJSON.encode(Self.foundation.decode(SpendReserved.self, from: reserved)))
        let meta = Data(StoredFixtures.meta.utf8)
        #expect(try TapeJSONDecoder.decode(EventMetadata.self, from: meta) == Self.foundation.decode(EventMetadata.self, from: meta))
    }

    /// A field named by a non-ASCII key equal as a String to an ASCII one (the Kelvin sign is "K"):
    /// Foundation finds it, so the decoder refuses rather than answer that it is absent.
    struct KelvinNamed: Codable, Equatable {
        var k: Int?
        enum CodingKeys: String, CodingKey { case k = "\u{212A}" }
    }

    @Test func aFieldNamedOutsideASCIIIsLeftToFoundation() throws {
        let data = Data(#"{"K":1}"#.utf8)
        #expect(try Self.foundation.decode(KelvinNamed.self, from: data) == KelvinNamed(k: 1))
        #expect(throws: TapeJSONDecoder.Refused.self) { try TapeJSONDecoder.decode(KelvinNamed.self, from: data) }
        #expect(try CanonicalJSON.decode(KelvinNamed.self, from: data) == KelvinNamed(k: 1))
    }

    /// An element tried as one type and then another, as Foundation's container allows: a failed
    /// decode does not move past it.
    struct FirstOfEither: Decodable, Equatable {
        var text: String?
        var number: Int?
        init(text: String? = nil, number: Int? = nil) {
            self.text = text
            self.number = number
        }
        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            if let text = try? container.decode(String.self) {
                self.text = text
            } else {
                number = try container.decode(Int.self)
            }
        }
    }

    @Test func aFailedDecodeInAnArrayStaysOnItsElement() throws {
        let data = Data("[1,2]".utf8)
        #expect(try Self.foundation.decode(FirstOfEither.self, from: data) == FirstOfEither(number: 1))
        #expect(try TapeJSONDecoder.decode(FirstOfEither.self, from: data) == FirstOfEither(number: 1))
    }

    /// Pieces a random text is made of: structure, literals, numbers, strings with escapes,
    /// broken escapes and multi-byte characters, so that most texts are not JSON.
    static let pieces: [String] = [
        "{", "}", "[", "]", ":", ",", " ", "\"", #""k""#, #""a""#, #""é🦀""#, #"\""#, #"\\"#, #"\u00e9"#,
        #"\ud83e\udd80"#, #"\ud800"#, #"\x"#, "\t", "true", "false", "null", "0", "1", "-", "7", ".", "5", "e", "+",
        "9223372036854775807", "18446744073709551616", #""s":"#, #""n":1,"#,
    ]

    /// A case the random texts below found (seed vfDEs8CHzBSHewW8nPkdpfeb/aXGlJT2opN5WIMETDA=, the
    /// pieces "0", "e", "1"): a zero with an exponent is a number (RFC 8259 §6: `int` is `zero`,
    /// and `exp` may follow it), which Foundation's decoder on Linux refuses when no sign or
    /// fraction comes between (`0e1`, `0E1`; `0e+1` and `0.0e1` it reads). The log's reader keeps
    /// to the RFC.
    @Test(arguments: [
        ("0e1", JSONValue.number(0)), ("0E1", .number(0)), ("0e+1", .number(0)), ("0e-1", .number(0)),
        ("-0e1", .number(0)), ("0.0e1", .number(0)), ("1e1", .number(10)), ("[0e1]", .array([.number(0)])),
        (#"{"a":0e1}"#, .object(["a": .number(0)])),
    ])
    func aZeroWithAnExponentIsANumberAsRFC8259Says(text: String, value: JSONValue) throws {
        #expect(try TapeJSONDecoder.decode(JSONValue.self, from: Data(text.utf8)) == value)
    }

    /// A zero that neither a digit nor a point comes before, followed by an exponent. Made once:
    /// the property below asks for it on each of its 4,000 texts that Foundation refuses.
    static let zeroThenExponent = try! NSRegularExpression(pattern: #"(?<![0-9.])0(?=[eE])"#)

    /// Foundation's reading of `text`, and where it refuses a zero followed by an exponent (see
    /// above), its reading of the same text with that zero written `0.0`.
    static func foundationsReading(_ text: String) -> JSONValue? {
        if let value = try? foundation.decode(JSONValue.self, from: Data(text.utf8)) { return value }
        let rewritten = zeroThenExponent.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "0.0")
        guard rewritten != text else { return nil }
        return try? foundation.decode(JSONValue.self, from: Data(rewritten.utf8))
    }

    @Test func anyTextIsReadAsFoundationReadsItOrRefused() async {
        let text = Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...24)
        await propertyCheck(count: 4_000, input: text) { indexes in
            let text = indexes.map { Self.pieces[$0] }.joined()
            if let ours = try? TapeJSONDecoder.decode(JSONValue.self, from: Data(text.utf8)) {
                #expect(ours == Self.foundationsReading(text))
            }
        }
    }

    /// Pieces of a string's bytes: plain ASCII, and each byte the tape's scan must stop at (a quote,
    /// a backslash and escapes, control characters, the bytes of multi-byte characters, bytes that
    /// are not UTF-8), so that they fall at every offset of its eight-byte steps.
    static let stringPieces: [[UInt8]] = [
        Array("a".utf8), Array("Z".utf8), Array(" ".utf8), Array("~".utf8), [0x7F], Array("abcdefgh".utf8),
        Array("0123456".utf8), [0x22], [0x5C], Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\n"#.utf8),
        Array(#"\u00e9"#.utf8), [0x00], [0x09], [0x1F], [0x0A], Array("é".utf8), Array("🦀".utf8), Array("—".utf8),
        [0x80], [0xFF], [0xC3], [0xF0, 0x9F],
    ]

    /// The indexes of `stringPieces` that make a string JSON allows: no bare quote, backslash,
    /// control character or broken character.
    static let readablePieces: Set<Int> = [0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 17, 18, 19]

    @Test func anyStringIsReadAsFoundationReadsItOrRefused() async {
        let pieces = Gen.int(in: 0...(Self.stringPieces.count - 1)).array(of: 0...40)
        await propertyCheck(count: 4_000, input: pieces) { indexes in
            let content = indexes.flatMap { Self.stringPieces[$0] }
            let data = Data([0x22] + content + [0x22])
            let foundation = try? Self.foundation.decode(String.self, from: data)
            if let ours = try? TapeJSONDecoder.decode(String.self, from: data) {
                #expect(ours == foundation)
            }
            // A string of printable ASCII, escapes and whole characters is read, not left to Foundation.
            if indexes.allSatisfy({ Self.readablePieces.contains($0) }) {
                #expect((try? TapeJSONDecoder.decode(String.self, from: data)) != nil)
                #expect((try? TapeJSONDecoder.decode(String.self, from: data)) == foundation)
            }
        }
    }

    struct Sample: Codable, Equatable {
        enum Kind: String, Codable { case one, two }
        struct Inner: Codable, Equatable {
            var small: Int8
            var wide: UInt64
        }
        var text: String
        var number: Int64
        var ratio: Double
        var flag: Bool
        var kind: Kind
        var optional: String?
        var list: [Int32]
        var inner: Inner?
        var table: [String: Int]
    }

    @Test func anyValueWrittenCanonicallyReadsBackAsFoundationReadsIt() async {
        let texts = Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...6)
        await propertyCheck(
            count: 1_000, input: texts, Gen.int64(), Gen.double(in: -1e12...1e12), Gen.int8(), Gen.uint64(),
            Gen.int32().array(of: 0...4)
        ) { pieces, number, ratio, small, wide, list in
            let text = pieces.map { Self.pieces[$0] }.joined()
            let sample = Sample(
                text: text, number: number, ratio: ratio, flag: number % 2 == 0, kind: small < 0 ? .one : .two,
                optional: small % 3 == 0 ? nil : text, list: list,
                inner: small % 2 == 0 ? Sample.Inner(small: small, wide: wide) : nil,
                table: Dictionary(uniqueKeysWithValues: pieces.enumerated().map { ("\($0.offset)\(text)", $0.element) }))
            let data = try CanonicalJSON.encode(sample)
            #expect(try TapeJSONDecoder.decode(Sample.self, from: data) == sample)
            #expect(try TapeJSONDecoder.decode(Sample.self, from: data) == Self.foundation.decode(Sample.self, from: data))
        }
    }
}

/// A payment's reservation and envelope as a payment ledger's log holds them.
enum StoredFixtures {
    static let spendReserved =
        #"{"amount_msat":1000,"budget_anchor_ms":1796091368871,"budget_currency":"SAT","connection_id":"01a22f63-55a6-792e-a0ba-88d2d93940c4","cycle":{"start_ms":1796091368871},"expires_at_ms":1796091488894,"fee_reserve_msat":0,"held_units":1000,"method":"pay_keysend","reserved_at_ms":1796091368894,"spend_id":"01a22f63-55be-7efc-9d5b-084f8d192eaf","user_id":"soak-payer"}"#
    static let meta =
        #"{"action":"E","actor":{"id":"connection:01a22f63-55a6-792e-a0ba-88d2d93940c4","role":"app"},"on_behalf_of":"soak-payer","request_id":"694ce87b-e369-4966-bdcb-432369b6e1d0","source":{"ip":"127.0.0.1","service_id":"grantledger"},"subject":{"id":"soak-payer","id_type":"user"}}"#
}
