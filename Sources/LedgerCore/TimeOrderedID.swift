/// RFC 9562 UUID version 7: 48 bits of Unix milliseconds, then 74 random bits. Ids that grow with
/// time land at the right edge of a B-tree index, so a batch of inserts dirties a few pages
/// instead of one random page each. The randomness is passed in: this module reads no entropy.
public enum TimeOrderedID {
    public static func make(unixMs: Int64, random: (UInt64, UInt64)) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        let ms = UInt64(max(0, unixMs)) & 0xFFFF_FFFF_FFFF
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: ms >> (8 * (5 - index))) }
        for index in 6..<16 {
            let source = index < 8 ? random.0 : random.1
            bytes[index] = UInt8(truncatingIfNeeded: source >> (8 * (index % 8)))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x70  // version 7
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        return text(of: bytes)
    }

    /// 16 bytes as a UUID's lower-case text, 8-4-4-4-12, written straight into the string's
    /// storage: through `Hex.encode`, five substrings and a join it took 6,700 instructions an id
    /// under callgrind, and a keysend payment draws three (its spend and its two events).
    static func text(of bytes: [UInt8]) -> String {
        precondition(bytes.count == 16, "a UUID is 16 bytes")
        return String(unsafeUninitializedCapacity: 36) { text in
            var count = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[count] = UInt8(ascii: "-")
                    count += 1
                }
                text[count] = hexDigit(byte >> 4)
                text[count + 1] = hexDigit(byte & 0x0F)
                count += 2
            }
            return count
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
