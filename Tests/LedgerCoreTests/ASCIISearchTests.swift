import LedgerCore
import Testing

@Suite struct ASCIISearchTests {
    /// The byte scan finds what Foundation's search found, in text of one to four bytes a
    /// character, at the ends, after a combining mark's base, and in substrings.
    @Test(arguments: [
        ("", "%", false),
        ("%", "%", true),
        ("abc%2F", "%", true),
        ("abc", "%", false),
        ("é%", "%", true),
        ("%\u{301}", "%", true),
        ("日本/語", "/", true),
        ("😀.😀", ".", true),
        ("a\\b", "\\", true),
        ("eyJhbGciOi", ".", false),
        ("payments:send", ":", true),
    ] as [(String, Unicode.Scalar, Bool)])
    func findsAnASCIICharacterWhateverTheTextAroundIt(text: String, character: Unicode.Scalar, found: Bool) {
        #expect(text.containsASCII(character) == found)
        #expect(text[...].containsASCII(character) == found)
    }

    @Test func aSubstringIsSearchedOnlyWithinItsBounds() {
        let text = "a.b/c"
        #expect(!text.prefix(1).containsASCII("."))
        #expect(text.prefix(2).containsASCII("."))
        #expect(!text.dropFirst(4).containsASCII("/"))
    }
}
