#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
import LedgerCore

/// Random bytes for a secret (an OAuth secret or code, a payment preimage, a credential), read
/// from the kernel when the secret is made, in one `getentropy` call per 256 bytes.
/// `SystemRandomNumberGenerator` makes a `getrandom` call per eight bytes on Linux: four for a
/// 32-byte secret, and system calls were what a keysend payment's request spent most on after the
/// writer (`strace -c`). Unlike ids (`IdentifierRandomness`), no secret's bytes are read ahead.
public enum SecretBytes {
    /// The most one `getentropy` call returns.
    static let chunkCount = 256

    public static func make(_ count: Int) -> [UInt8] {
        make(count, read: readKernel)
    }

    /// The same with the reading given (tests make it fail). Each chunk the kernel could not fill
    /// is drawn from `SystemRandomNumberGenerator` instead: never left as it was.
    static func make(_ count: Int, read: (UnsafeMutableRawBufferPointer) -> Bool) -> [UInt8] {
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var start = 0
            while start < count {
                let chunk = UnsafeMutableRawBufferPointer(
                    rebasing: UnsafeMutableRawBufferPointer(buffer)[start..<min(count, start + chunkCount)])
                if !read(chunk) {
                    var system = SystemRandomNumberGenerator()
                    chunk.copyBytes(from: system.bytes(chunk.count))
                }
                start += chunk.count
            }
            initialized = count
        }
    }

    static func readKernel(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        precondition(buffer.count <= chunkCount, "getentropy returns at most 256 bytes a call")
        return getentropy(buffer.baseAddress, buffer.count) == 0
    }
}
