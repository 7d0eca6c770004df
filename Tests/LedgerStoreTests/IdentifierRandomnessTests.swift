import Synchronization
import Testing

@testable import LedgerStore

/// `IdentifierRandomness`: ids drawn from a buffer the kernel fills 256 bytes at a time.
@Suite struct IdentifierRandomnessTests {
    /// Hands out what `refill` wrote, word by word, and asks for more only when all are out.
    @Test func eachWordReadIsHandedOutOnceInOrder() {
        var refills = 0
        var pool = IdentifierRandomness.Pool { buffer in
            refills += 1
            let words = buffer.bindMemory(to: UInt64.self)
            for index in words.indices { words[index] = UInt64(refills) << 32 | UInt64(index) }
            return true
        }
        let drawn = (0..<(3 * IdentifierRandomness.Pool.wordCount + 1)).map { _ in pool.next() }
        #expect(refills == 4)
        let expected = (1...4).flatMap { refill in
            (0..<IdentifierRandomness.Pool.wordCount).map { UInt64(refill) << 32 | UInt64($0) }
        }
        #expect(drawn == Array(expected.prefix(drawn.count)))
    }

    /// A buffer the kernel could not fill is never read: each word is then drawn from the system
    /// generator, and the buffer is tried again for the next one.
    @Test func aBufferThatCouldNotBeFilledIsNotHandedOut() {
        var refills = 0
        var pool = IdentifierRandomness.Pool { buffer in
            refills += 1
            buffer.initializeMemory(as: UInt8.self, repeating: 0xAB)
            return false
        }
        let drawn = (0..<8).map { _ in pool.next() }
        #expect(refills == 8)
        #expect(!drawn.contains(0xABAB_ABAB_ABAB_ABAB))
        #expect(Set(drawn).count == 8)
    }

    /// The kernel's buffer, shared by every thread: no word twice, from tasks drawing at once
    /// (a word handed out twice makes two ids in the same millisecond the same id).
    @Test func wordsDrawnAtOnceFromManyTasksAreAllDifferent() async {
        let perTask = 5_000
        let drawn = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var random = IdentifierRandomness()
                    return (0..<perTask).map { _ in random.next() }
                }
            }
            return await group.reduce(into: [UInt64]()) { $0 += $1 }
        }
        #expect(drawn.count == 8 * perTask)
        #expect(Set(drawn).count == drawn.count)
        // Each of the 64 bits is set in about half the words (40,000 words: 50 % ± 2 %).
        for bit in 0..<64 {
            let set = drawn.reduce(0) { $0 + Int(($1 >> UInt64(bit)) & 1) }
            #expect((19_200...20_800).contains(set), "bit \(bit) set in \(set) of \(drawn.count) words")
        }
    }

    /// The kernel fills the whole buffer in one call.
    @Test func theKernelFillsTheBuffer() {
        var buffer = [UInt8](repeating: 0, count: IdentifierRandomness.Pool.wordCount * 8)
        let filled = buffer.withUnsafeMutableBytes { IdentifierRandomness.Pool.readKernel($0) }
        #expect(filled)
        #expect(buffer.filter { $0 == 0 }.count < 16)
    }
}
