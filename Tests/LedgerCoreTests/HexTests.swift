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

    @Test(arguments: [
        ("00ff", 2, true), ("00FF", 2, true), ("00fg", 2, false), ("00f", 2, false), ("00ff00", 2, false),
        ("", 0, true), ("é0", 1, false), ("0 ", 1, false),
    ])
    func isHexTakesExactlyThatManyBytesOfEitherCase(_ text: String, _ byteCount: Int, _ expected: Bool) {
        #expect(Hex.isHex(text, byteCount: byteCount) == expected)
        #expect(Hex.isHex(text[...], byteCount: byteCount) == expected)
    }
}
