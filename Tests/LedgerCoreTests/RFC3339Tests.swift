import Foundation
import PropertyBased
import Testing

@testable import LedgerCore

/// `RFC3339.string(unixMs:)` writes the text checkpoints and audit records hold: the same bytes
/// as the padded, interpolated pieces it was first written with, for every time.
@Suite struct RFC3339Tests {
    @Test(arguments: [
        (0, "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (1_796_091_368_871, "2026-12-01T02:16:08.871Z"),
        (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        // Past the four digits: the text the first version wrote (five digits, or the sign
        // inside the padding).
        (253_402_300_800_000, "10000-01-01T00:00:00.000Z"),
        (-62_167_219_200_001, "00-1-12-31T23:59:59.999Z"),
    ] as [(Int64, String)])
    func aTimeIsWrittenAsItAlwaysWas(_ unixMs: Int64, _ text: String) {
        #expect(RFC3339.string(unixMs: unixMs) == text)
        #expect(RFC3339.paddedString(unixMs: unixMs) == text)
    }

    @Test func anyTimeIsTheTextThePaddedPiecesWrite() async {
        // About ±31,000 years, so both sides of each bound are drawn; and the clock's own range.
        let wide = Gen.int(in: -1_000_000_000_000_000...1_000_000_000_000_000)
        let clock = Gen.int(in: 0...4_102_444_800_000)
        await propertyCheck(count: 2_000, input: wide, clock) { wide, clock in
            for unixMs in [Int64(wide), Int64(clock)] {
                #expect(RFC3339.string(unixMs: unixMs) == RFC3339.paddedString(unixMs: unixMs), "\(unixMs)")
            }
        }
    }
}
