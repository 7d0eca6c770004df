#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
import Synchronization

/// Random bits for identifiers: every id `Identifiers.make` draws (events, spends, connections,
/// clients, tokens' `jti`s) and request ids. They are names that reach the log, the audit trail and
/// the answers; none may ever serve as a capability (a token is a signed JWT, a request id may come
/// from the caller). `SystemRandomNumberGenerator` makes a `getrandom` system call for every eight
/// bytes on Linux: a keysend payment drew eight of its twelve calls for ids (its request, its
/// spend, its two events; `strace -c` of the server under load), four of them on the writer's
/// thread. These read the kernel's random source 256 bytes at a time (one `getentropy`, the most
/// it returns in one call) and hand them out eight at a time.
///
/// Secrets (OAuth secrets and codes, preimages, credentials) are read when they are made
/// (`SecretBytes` in LedgerAuth): none of their bytes waits in memory before it is needed.
public struct IdentifierRandomness: RandomNumberGenerator {
    public init() {}

    public mutating func next() -> UInt64 {
        Self.shared.withLock { $0.next() }
    }

    private static let shared = Mutex(Pool(refill: Pool.readKernel))

    /// The words read and not yet handed out. `refill` fills the buffer it is given and says
    /// whether it could (tests count and fail it).
    struct Pool {
        static let wordCount = 32
        private var words: [UInt64]
        private var nextIndex: Int
        private let refill: (UnsafeMutableRawBufferPointer) -> Bool

        init(refill: @escaping (UnsafeMutableRawBufferPointer) -> Bool) {
            words = Array(repeating: 0, count: Self.wordCount)
            nextIndex = Self.wordCount
            self.refill = refill
        }

        mutating func next() -> UInt64 {
            if nextIndex == words.count {
                let filled = words.withUnsafeMutableBytes { refill($0) }
                // Never reached on a kernel this runs on (getrandom exists since Linux 3.17); an
                // id is then drawn the slow way rather than from a buffer that was not filled.
                guard filled else {
                    var system = SystemRandomNumberGenerator()
                    return system.next()
                }
                nextIndex = 0
            }
            defer { nextIndex += 1 }
            return words[nextIndex]
        }

        /// One `getentropy` call for the whole buffer (at most 256 bytes: it never returns fewer).
        static func readKernel(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
            precondition(buffer.count <= 256, "getentropy returns at most 256 bytes a call")
            return getentropy(buffer.baseAddress, buffer.count) == 0
        }
    }
}
