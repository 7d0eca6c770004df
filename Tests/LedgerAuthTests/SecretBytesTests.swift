import Testing

@testable import LedgerAuth

/// `SecretBytes`: a secret's bytes read from the kernel when it is made, 256 at a time.
@Suite struct SecretBytesTests {
    /// Every byte asked for is read, in chunks of at most 256, each chunk once.
    @Test(arguments: [0, 1, 16, 32, 255, 256, 257, 512, 1000])
    func everyByteAskedForIsReadInChunksOfAtMost256(count: Int) {
        var chunks: [Int] = []
        var next: UInt8 = 1
        let bytes = SecretBytes.make(count) { buffer in
            chunks.append(buffer.count)
            for index in buffer.indices {
                buffer[index] = next
                next = next == 255 ? 1 : next + 1
            }
            return true
        }
        #expect(bytes.count == count)
        #expect(chunks == Array(repeating: 256, count: count / 256) + (count % 256 == 0 ? [] : [count % 256]))
        #expect(bytes == (0..<count).map { UInt8($0 % 255 + 1) })
    }

    /// A chunk the kernel could not fill is drawn from the system generator, never left as the
    /// buffer held it (or as the failed read wrote it).
    @Test func aChunkTheKernelCouldNotFillIsDrawnAgain() {
        let bytes = SecretBytes.make(300) { buffer in
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            return false
        }
        #expect(bytes.count == 300)
        #expect(bytes.filter { $0 == 0 }.count < 20)
    }

    /// From the kernel: two secrets differ, and a secret's bytes are not mostly zero.
    @Test func secretsFromTheKernelDiffer() {
        let first = SecretBytes.make(32)
        let second = SecretBytes.make(32)
        #expect(first.count == 32 && second.count == 32)
        #expect(first != second)
        #expect(first.filter { $0 == 0 }.count < 8)
        #expect(OAuthSecrets.make().utf8.count == 43)
    }
}
