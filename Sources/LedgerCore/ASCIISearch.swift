extension StringProtocol {
    /// Whether the text holds this ASCII character anywhere, by its UTF-8 bytes (a combining mark
    /// after it does not hide it). Written out rather than `contains("%")`: on Linux, with
    /// Foundation imported, that resolves to Foundation's `range(of:)`, a CFString search that
    /// cost about 9,000 instructions a call on every path parameter a request carried (callgrind,
    /// `tools/instructions.sh`); this is a scan of the bytes.
    public func containsASCII(_ character: Unicode.Scalar) -> Bool {
        precondition(character.isASCII, "containsASCII takes an ASCII character")
        return utf8.contains(UInt8(truncatingIfNeeded: character.value))
    }
}
