import Foundation

/// Base64url (RFC 4648 §5) without padding, as JOSE writes it: JWT parts, JWK coordinates, key
/// thumbprints, checkpoints, cursors. Mapped to and from base64 byte by byte: the three
/// `replacingOccurrences` it used to take went through NSString, and were half of what checking a
/// stored checkpoint cost (`verify` checks every one, a thousand at a million events).
public enum Base64URL {
    public static func encode(_ bytes: some DataProtocol) -> String {
        var base64 = Data(bytes).base64EncodedData()
        while base64.last == UInt8(ascii: "=") { base64.removeLast() }
        for index in base64.indices {
            switch base64[index] {
            case UInt8(ascii: "+"): base64[index] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): base64[index] = UInt8(ascii: "_")
            default: break
            }
        }
        return String(decoding: base64, as: UTF8.self)
    }

    /// Nil when `text` is not base64url. `strict` refuses what only base64 allows (`+`, `/` and
    /// `=` padding), as a checkpoint's JWS must; otherwise they are read as base64 reads them, as
    /// tokens from other issuers sometimes carry them.
    ///
    /// Inlinable so that it is specialized where it is called: across modules the generic version
    /// reached each byte through `StringProtocol`'s witness table, 8 % of the CPU a `verify` of a
    /// log with 416 checkpoints took besides the chain.
    @inlinable
    public static func decode(_ text: some StringProtocol, strict: Bool = false) -> Data? {
        var base64: [UInt8] = []
        base64.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
                if strict { return nil }
                base64.append(byte)
            case UInt8(ascii: "-"): base64.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): base64.append(UInt8(ascii: "/"))
            default: base64.append(byte)
            }
        }
        base64.append(contentsOf: repeatElement(UInt8(ascii: "="), count: (4 - base64.count % 4) % 4))
        return Data(base64Encoded: Data(base64))
    }
}
