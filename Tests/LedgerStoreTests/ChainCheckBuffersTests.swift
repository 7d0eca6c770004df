import LedgerTestSupport
import Testing

@testable import LedgerStore

/// The chain check's own buffers: bytes appended in place, and texts read by index.
@Suite struct ChainCheckBuffersTests {
    /// Appends of every kind, across many doublings from a small start, read back as an array
    /// built the plain way reads.
    @Test func growableBytesHoldWhatAnArrayWouldAcrossGrowth() {
        var random = SeededRandom(seed: 20_261_203)
        let bytes = GrowableBytes(capacity: 1)
        var expected: [UInt8] = []
        for step in 0..<5_000 {
            switch Int.random(in: 0..<5, using: &random) {
            case 0:
                let byte = UInt8.random(in: 0...255, using: &random)
                bytes.append(byte)
                expected.append(byte)
            case 1:
                let run = (0..<Int.random(in: 0...300, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
                bytes.append(run)
                expected += run
            case 2:
                let value = UInt32.random(in: 0...UInt32.max, using: &random)
                bytes.appendBigEndian(value)
                expected += withUnsafeBytes(of: value.bigEndian, Array.init)
            case 3:
                let value = Int64.random(in: Int64.min...Int64.max, using: &random)
                bytes.appendBigEndian(value)
                expected += withUnsafeBytes(of: value.bigEndian, Array.init)
            default:
                // Written in place: room for more than is used, then the part used counted.
                let used = Int.random(in: 0...40, using: &random)
                let room = bytes.reserve(used + 10)
                for offset in 0..<used { room[offset] = UInt8(truncatingIfNeeded: step + offset) }
                bytes.commit(used)
                expected += (0..<used).map { UInt8(truncatingIfNeeded: step + $0) }
            }
        }
        #expect(bytes.count == expected.count)
        #expect(Array(bytes.buffer) == expected)

        // A length patched after what it measures, as a key's text is.
        bytes.overwriteBigEndian(UInt32(0xDEAD_BEEF), at: 3)
        expected.replaceSubrange(3..<7, with: [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(Array(bytes.buffer) == expected)

        bytes.removeAll()
        #expect(bytes.count == 0)
        bytes.append([1, 2, 3])
        #expect(Array(bytes.buffer) == [1, 2, 3])
    }

    @Test func aFlatTextTableGivesBackEachEntry() {
        let entries: [[UInt8]] = [Array("spend/".utf8), [], Array("connection/".utf8), [0xFF], Array("é".utf8)]
        let table = FlatTextTable(entries)
        #expect(table.count == entries.count)
        for (index, entry) in entries.enumerated() { #expect(Array(table[index]) == entry) }
        #expect(FlatTextTable([]).count == 0)
    }

    /// The tables the chain check reads hold the names and prefixes the stored codes stand for.
    @Test func theChainChecksTablesAreTheStoredOnes() {
        #expect(EventTypeStorage.nameTable.count == EventTypeStorage.names.count)
        for (code, name) in EventTypeStorage.names.enumerated() {
            #expect(Array(EventTypeStorage.nameTable[code]) == Array(name.utf8))
        }
        #expect(
            (0..<EventKeyStorage.streamPrefixTable.count).map { Array(EventKeyStorage.streamPrefixTable[$0]) }
                == EventKeyStorage.streamPrefixBytes)
    }
}
