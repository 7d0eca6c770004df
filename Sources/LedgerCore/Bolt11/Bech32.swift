// Bech32 (BIP-173) written by hand: no bech32 or Lightning library is among this package's
// dependencies. BOLT11 uses the original bech32 constant (not bech32m) and lifts BIP-173's
// 90-character limit, so the limit here is the caller's.
package enum Bech32 {
    package static let alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

    /// 5-bit value of each ASCII byte, or -1 when the byte is not in the alphabet.
    private static let reverseAlphabet: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = Int8(value) }
        return table
    }()

    package enum DecodeError: Error, Equatable {
        case tooLong(limit: Int)
        case mixedCase
        case noSeparator
        case emptyHumanReadablePart
        case invalidCharacter
        case tooShortForChecksum
        case badChecksum
    }

    /// The human-readable part (lowercased) and the 5-bit words before the checksum.
    package static func decode(_ text: String, maxLength: Int) throws(DecodeError) -> (hrp: String, words: [UInt8]) {
        let bytes = Array(text.utf8)
        guard bytes.count <= maxLength else { throw .tooLong(limit: maxLength) }
        let hasLower = bytes.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        let hasUpper = bytes.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        guard !(hasLower && hasUpper) else { throw .mixedCase }
        let lowered = bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
        guard let separator = lowered.lastIndex(of: UInt8(ascii: "1")) else { throw .noSeparator }
        guard separator > 0 else { throw .emptyHumanReadablePart }
        let hrp = Array(lowered[..<separator])
        // BIP-173: the human-readable part is printable US-ASCII.
        guard hrp.allSatisfy({ $0 >= 33 && $0 <= 126 }) else { throw .invalidCharacter }
        var words: [UInt8] = []
        words.reserveCapacity(lowered.count - separator - 1)
        for char in lowered[(separator + 1)...] {
            guard char < 128, reverseAlphabet[Int(char)] >= 0 else { throw .invalidCharacter }
            words.append(UInt8(reverseAlphabet[Int(char)]))
        }
        guard words.count >= 6 else { throw .tooShortForChecksum }
        guard polymod(expand(hrp) + words) == 1 else { throw .badChecksum }
        return (String(decoding: hrp, as: UTF8.self), Array(words.dropLast(6)))
    }

    /// `hrp` + "1" + words + checksum, lower case. `hrp` must be lower-case ASCII.
    package static func encode(hrp: String, words: [UInt8]) -> String {
        let hrpBytes = Array(hrp.utf8)
        let mod = polymod(expand(hrpBytes) + words + [0, 0, 0, 0, 0, 0]) ^ 1
        let checksum = (0..<6).map { UInt8((mod >> (5 * (5 - $0))) & 31) }
        let chars = hrpBytes + [UInt8(ascii: "1")] + (words + checksum).map { alphabet[Int($0)] }
        return String(decoding: chars, as: UTF8.self)
    }

    private static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let generators: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
            for index in 0..<5 where (top >> UInt32(index)) & 1 == 1 {
                checksum ^= generators[index]
            }
        }
        return checksum
    }

    /// Regroups bits, e.g. 5-bit words to bytes. With `pad` false, leftover bits are dropped
    /// (BOLT11 pads fields with zero bits up to a word boundary).
    package static func regroup(_ values: [UInt8], from fromBits: Int, to toBits: Int, pad: Bool) -> [UInt8] {
        var accumulator = 0
        var bitCount = 0
        let mask = (1 << toBits) - 1
        var out: [UInt8] = []
        out.reserveCapacity(values.count * fromBits / toBits + 1)
        for value in values {
            accumulator = (accumulator << fromBits) | Int(value)
            bitCount += fromBits
            while bitCount >= toBits {
                bitCount -= toBits
                out.append(UInt8((accumulator >> bitCount) & mask))
            }
            accumulator &= (1 << bitCount) - 1
        }
        if pad, bitCount > 0 {
            out.append(UInt8((accumulator << (toBits - bitCount)) & mask))
        }
        return out
    }
}
