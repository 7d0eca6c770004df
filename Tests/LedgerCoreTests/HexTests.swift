import Foundation
import LedgerCore
import Testing

@Suite struct HexTests {
    @Test func everyByteIsWrittenAsTwoLowerCaseDigits() {
        let bytes = (0...255).map(UInt8.init)
        #expect(Hex.encode(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(Hex.encode(Data(bytes)) == Hex.encode(bytes))
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.decode(Hex.encode(bytes)) == bytes)
    }

    /// Contiguous or not, counted up front or not, sliced or whole: the same digits.
    @Test func anySequenceOfBytesIsWrittenAsItsDigits() {
        let bytes = (0...255).map(UInt8.init)
        let expected = bytes.map { String(format: "%02x", $0) }.joined()
        #expect(Hex.encode(bytes.lazy.map { $0 }) == expected)
        #expect(Hex.encode(AnySequence(bytes)) == expected, "no count up front, past the 32 reserved")
        #expect(Hex.encode(AnySequence(bytes.prefix(32))) == String(expected.prefix(64)))
        #expect(Hex.encode(bytes[200...]) == String(expected.dropFirst(400)))
        #expect(Hex.encode(Data(bytes)[200...]) == String(expected.dropFirst(400)))
        #expect(Hex.encode(AnySequence([UInt8]())) == "")
    }

    @Test(arguments: [
        ("00ff", 2, true), ("00FF", 2, true), ("00fg", 2, false), ("00f", 2, false), ("00ff00", 2, false),
        ("", 0, true), ("é0", 1, false), ("0 ", 1, false),
    ])
    func isHexTakesExactlyThatManyBytesOfEitherCase(_ text: String, _ byteCount: Int, _ expected: Bool) {
        #expect(Hex.isHex(text, byteCount: byteCount) == expected)
        #expect(Hex.isHex(text[...], byteCount: byteCount) == expected)
    }
}
