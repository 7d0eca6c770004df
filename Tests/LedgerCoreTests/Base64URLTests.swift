import Foundation
import LedgerCore
import Testing

/// JOSE's base64url without padding (RFC 7515 §2) is mapped to base64 by hand, so it is checked
/// against Foundation's base64 on the same bytes.
@Suite struct Base64URLTests {
    @Test(arguments: [
        ("", Data()),
        ("AA", Data([0])),
        ("AAE", Data([0, 1])),
        ("AAEC", Data([0, 1, 2])),
        ("-_8", Data([0xFB, 0xFF])),  // the two characters base64url changes
        ("eyJhbGciOiJFUzI1NiJ9", Data(#"{"alg":"ES256"}"#.utf8)),
    ] as [(String, Data)])
    func encodesAndDecodesWithoutPadding(text: String, bytes: Data) {
        #expect(Base64URL.encode(bytes) == text)
        #expect(Base64URL.decode(text) == bytes)
        #expect(Base64URL.decode(text, strict: true) == bytes)
    }

    /// What only base64 allows is read as base64 reads it, unless strict; anything outside the
    /// alphabet, and a length no encoding has, is refused either way.
    @Test(arguments: [
        ("AA==", Data([0]) as Data?), ("+/8", Data([0xFB, 0xFF])), ("AA/E", Data([0, 0x0F, 0xC4])),
        ("A", nil), ("AAAAA", nil), ("AA E", nil), ("AA*A", nil),
    ] as [(String, Data?)])
    func readsBase64OnlyWhenNotStrict(text: String, lenient: Data?) {
        #expect(Base64URL.decode(text) == lenient)
        #expect(Base64URL.decode(text, strict: true) == nil)
    }
}
