/// Lowercase hex, for digests in logs, events and checksums. `String(format:)` per byte costs
/// more than the SHA-256 it prints, and this runs on request paths.
public enum Hex {
    // `@inlinable`, as `Base64URL.decode` is: generic over its argument and called from other
    // modules, it was otherwise reached a byte at a time through a witness table (with an array of
    // digits made per call), 3 % of a keysend's request threads in `perf`.
    //
    // Written straight into the string's storage. Appended to an array a digit at a time, then
    // copied into a string, a digest (a `Sequence` whose `underestimatedCount` is 0, so nothing
    // was reserved) cost 4,000 instructions under callgrind, its array grown seven times: three
    // of them in each keysend payment's demo wallet.
    @inlinable
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        if let text = bytes.withContiguousStorageIfAvailable({ encode(buffer: $0) }) { return text }
        var collected: [UInt8] = []
        collected.reserveCapacity(Swift.max(bytes.underestimatedCount, 32))  // 32: a SHA-256 digest
        collected.append(contentsOf: bytes)
        return collected.withUnsafeBufferPointer { encode(buffer: $0) }
    }

    @inlinable
    static func encode(buffer: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: buffer.count * 2) { text in
            for (index, byte) in buffer.enumerated() {
                text[2 * index] = digit(byte >> 4)
                text[2 * index + 1] = digit(byte & 0x0F)
            }
            return buffer.count * 2
        }
    }

    /// The lower-case digit of a value below 16.
    @inlinable
    static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
    }
}

extension Hex {
    @inlinable
    public static func isDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            true
        default: false
        }
    }
}

extension Hex {
    /// The bytes of an even-length hex string (either case), or nil when it is not one.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// True for exactly `byteCount` bytes of hex. `@inlinable` for the reason `encode` is (the
    /// UMA surface checks a pubkey or a hash with it on every payment).
    @inlinable
    public static func isHex(_ text: some StringProtocol, byteCount: Int) -> Bool {
        text.utf8.count == byteCount * 2 && text.utf8.allSatisfy(isDigit)
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex, as the UMA Auth API and BOLT11 spell hashes, preimages and pubkeys.
    /// `@inlinable` for the reason `Hex.encode` is: without it each caller's digest went through
    /// an unspecialized `encode`, a witness call per byte (the demo wallet's three per keysend were
    /// 50,000 instructions under callgrind).
    @inlinable package var hexString: String { Hex.encode(self) }
}
