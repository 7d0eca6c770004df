extension RandomNumberGenerator {
    /// `count` random bytes, eight from each `next()`: with `SystemRandomNumberGenerator` on Linux
    /// each `next()` is a `getrandom` system call, so drawing a byte at a time cost one a byte
    /// (`strace -c` of the server under load). Secrets read the kernel directly instead
    /// (`SecretBytes`, 256 bytes a call), ids from a buffer (`IdentifierRandomness`); this stays for
    /// their fallbacks and for UUID text.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 7)
        while bytes.count < count { withUnsafeBytes(of: next()) { bytes.append(contentsOf: $0) } }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// A random (version 4) UUID, lower case, from two `next()`s. Foundation's `UUID()` opens,
    /// reads and closes `/dev/urandom` on Linux: three system calls for every request id.
    public mutating func uuidString() -> String {
        var bytes = bytes(16)
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        return TimeOrderedID.text(of: bytes)
    }
}
