import Foundation
import LedgerCore
import Testing

@Suite struct RandomBytesTests {
    /// Hands out 0x0101…01, 0x0202…02, …: which `next()` each byte came from shows.
    struct CountingGenerator: RandomNumberGenerator {
        var calls: UInt64 = 0
        mutating func next() -> UInt64 {
            calls += 1
            return calls &* 0x0101_0101_0101_0101
        }
    }

    @Test(arguments: [0, 1, 7, 8, 9, 16, 32, 33])
    func bytesAreTheGeneratorsWordsInOrderEightAtATime(count: Int) {
        var generator = CountingGenerator()
        let bytes = generator.bytes(count)
        #expect(bytes.count == count)
        let expected: [UInt8] = (0..<count).map { index in UInt8(index / 8 + 1) }
        #expect(bytes == expected)
        let words = (count + 7) / 8
        #expect(generator.calls == UInt64(words))
    }

    @Test func aUUIDIsVersionFourWithTheRFCVariantInLowerCase() throws {
        var generator = SystemRandomNumberGenerator()
        var seen: Set<String> = []
        for _ in 0..<200 {
            let text = generator.uuidString()
            let uuid = try #require(UUID(uuidString: text))
            #expect(uuid.uuidString.lowercased() == text)
            let parts: [Substring] = text.split(separator: "-")
            let lengths: [Int] = parts.map(\.count)
            #expect(lengths == [8, 4, 4, 4, 12])
            let version: Character? = parts[2].first
            #expect(version == "4")
            let variant: Character = try #require(parts[3].first)
            #expect("89ab".contains(variant))
            seen.insert(text)
        }
        #expect(seen.count == 200)
    }
}
