import Foundation
import Testing

@testable import LedgerStore

/// A fold's key is equal to another only when their UTF-8 bytes are, as SQLite compares a key,
/// and equal keys hash alike: a dictionary of them must keep apart what SQLite keeps apart.
@Suite struct ByteKeyTests {
    static let pairs: [(a: String, b: String, equal: Bool)] = [
        ("connection/c1", "connection/c1", true),
        ("01a22c55-1b32-71a6-9105-95b563df33d5", "01a22c55-1b32-71a6-9105-95b563df33d5", true),
        ("01a22c55-1b32-71a6-9105-95b563df33d5", "01a22c55-1b32-71a6-9105-95b563df33d6", false),
        ("", "", true),
        ("naïve € past fifteen bytes", "naïve € past fifteen bytes", true),
        ("naïve", "naïve", true),
        ("a", "", false),
        // Canonically equivalent, different bytes: `String`'s `==` calls these equal.
        ("\u{E9}", "e\u{301}", false),
        ("K", "\u{212A}", false),
        ("caf\u{E9} and a longer tail past fifteen bytes", "cafe\u{301} and a longer tail past fifteen bytes", false),
        // Same length, one byte apart, inline (small) and on the heap.
        ("abcdefgh", "abcdefgi", false),
        (String(repeating: "x", count: 64), String(repeating: "x", count: 63) + "y", false),
    ]

    @Test(arguments: pairs)
    func keysAreEqualExactlyWhenTheirBytesAre(pair: (a: String, b: String, equal: Bool)) {
        let a = ByteKey(pair.a)
        let b = ByteKey(pair.b)
        #expect((a == b) == pair.equal)
        #expect((b == a) == pair.equal)
        if pair.equal { #expect(a.hashValue == b.hashValue) }
        // A text made from its bytes, as a fold's keys are read from rows.
        let copy = ByteKey(String(decoding: Array(pair.a.utf8), as: UTF8.self))
        #expect(copy == a && copy.hashValue == a.hashValue)
        var keys: Set<ByteKey> = [a, b]
        keys.insert(copy)
        #expect(keys.count == (pair.equal ? 1 : 2))
    }
}
