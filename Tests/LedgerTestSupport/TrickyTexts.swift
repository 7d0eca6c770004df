/// Pieces of text that JSON and String equality treat unlike plain ASCII: every control
/// character, quotes, backslashes, characters of one to four bytes, a combining accent beside its
/// precomposed form (equal as Strings, not as bytes), the Kelvin sign beside "K", a byte-order
/// mark and the last scalar. Property tests join them into texts by index.
public enum TrickyTexts {
    public static let pieces: [String] =
        (0..<0x20).map { String(UnicodeScalar(UInt8($0))) } + [
            "\"", "\\", "/", "\u{7F}", "a", "Z", " ", "é", "e\u{301}", "€", "🦀", "\u{212A}", "K", "\u{FEFF}",
            "\u{10FFFF}",
        ]

    /// The pieces at these indexes (modulo their count), joined.
    public static func text(_ indexes: [Int]) -> String { indexes.map { pieces[$0 % pieces.count] }.joined() }
}
