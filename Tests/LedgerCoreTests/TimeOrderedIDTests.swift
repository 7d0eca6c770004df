import Foundation
import LedgerTestSupport
import Testing

@testable import LedgerCore

@Suite struct TimeOrderedIDTests {
    @Test func layoutFollowsRFC9562Version7() {
        let id = TimeOrderedID.make(unixMs: 0x0190_1234_5678, random: (.max, .max))
        #expect(id == "01901234-5678-7fff-bfff-ffffffffffff")
    }

    /// Any 16 bytes read as Foundation writes them (upper case there), here in lower case.
    @Test func theTextIsFoundationsInLowerCase() {
        var generator = SeededRandom(seed: 38)
        var cases: [[UInt8]] = [Array(repeating: 0, count: 16), Array(repeating: 0xFF, count: 16), Array(0..<16)]
        for _ in 0..<200 { cases.append((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        for bytes in cases {
            let uuid = UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                    bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                ))
            #expect(TimeOrderedID.text(of: bytes) == uuid.uuidString.lowercased())
        }
    }

    @Test func laterMillisecondsSortLater() {
        let earlier = TimeOrderedID.make(unixMs: 1_800_000_000_000, random: (.max, .max))
        let later = TimeOrderedID.make(unixMs: 1_800_000_000_001, random: (0, 0))
        #expect(earlier < later)
    }
}
