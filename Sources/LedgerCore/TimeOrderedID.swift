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

    /// 16 bytes as a UUID's lower-case text, 8-4-4-4-12.
    static func text(of bytes: [UInt8]) -> String {
        let hex = Array(Hex.encode(bytes).utf8)
        let groups = [hex[0..<8], hex[8..<12], hex[12..<16], hex[16..<20], hex[20..<32]]
        return groups.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "-")
    }
}
