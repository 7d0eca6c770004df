import LedgerCore

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

    /// Metadata of such texts, indexed by `first`, `second` and `third`, each optional present or
    /// not by a bit of `shape` (on behalf of, subject, purpose, ip, trace id) and the action
    /// `shape % 5`; no request digest.
    public static func metadata(_ first: [Int], _ second: [Int], _ third: [Int], shape: Int) -> EventMetadata {
        EventMetadata(
            actor: .init(id: text(first), role: text(second)),
            onBehalfOf: shape & 1 == 0 ? nil : text(third),
            subject: shape & 2 == 0 ? nil : .init(id: text(second), idType: text(first)),
            action: [.create, .read, .update, .delete, .execute][shape % 5],
            purpose: shape & 4 == 0 ? nil : text(first + third),
            source: .init(serviceId: text(third), ip: shape & 8 == 0 ? nil : text(second)),
            requestId: text(second + first), traceId: shape & 16 == 0 ? nil : text(third))
    }
}
