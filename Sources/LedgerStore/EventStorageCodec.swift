import Foundation

/// How an event's `data` and `meta` JSON is kept on disk: compact, and given back byte for byte.
///
/// The log's hash (`EventHasher`) and everything that reads an event see the canonical JSON the
/// event was encoded to; only the stored bytes differ. So existing hashes, and checkpoints kept
/// outside, stay valid whichever way a row is stored, and rows of both kinds live side by side:
/// rows written before this codec existed keep their text.
///
/// Written by hand because no library on this machine's list compresses small records this way.
/// zlib with a preset dictionary was the alternative: its inflate costs microseconds a row, and
/// the chain check reads a row in under two.
///
/// A compact value is a BLOB whose first byte is `version1`; canonical JSON never starts with a
/// control byte, so the first byte alone tells the two apart. Then, in order:
/// - a byte 0x20...0xFF is itself (JSON text outside these codes);
/// - `lowerUUID`/`upperUUID` and 16 bytes: a 36-character UUID in that case, hyphens included;
/// - `lowerHex`/`upperHex`, a count n and n bytes: 2n hexadecimal digits in that case (digits only
///   count as lower case: timestamps and amounts are packed too);
/// - `phrase` and an index, or a byte of `singlePhraseCodes`: that entry of `PhraseTable.version1`
///   (JSON keys with their punctuation, and values from the ledger's own vocabulary).
/// The control bytes JSON allows as whitespace (tab, line feed, carriage return) are never codes,
/// and JSON that holds a byte below 0x20 is kept as text: the codes cannot be confused with it.
///
///
/// Format 2 (first byte `version2`, since event_storage_v2) adds one code: `reference`, a
/// position and a length, for a run the row already says. Its window is the row's stream and its
/// `recorded_at` in decimal (`contextPrefix`), then, for `meta`, the row's `data` JSON, then the
/// JSON the value has decoded to so far. A payment's spend id is its stream's UUID, its time the
/// row's, its actor's connection the one in `data`: a payment's reserve is stored in 52 bytes
/// fewer than in format 1, its settle in 47 (`EventStorageCodec+References.swift`,
/// `EventStorageReferencesTests`). Format 1 values read as before.
///
/// A later format (another first byte, another table) must come with a migration of its own, so
/// that a version that cannot read it refuses the file (`Schema.refuseNewerLedger`) instead of
/// taking its rows for damage. `tools/event_storage.py` reads both formats with Python alone.
enum EventStorageCodec {
    static let version1: UInt8 = 0x01
    static let version2: UInt8 = 0x02
    static let lowerUUID: UInt8 = 0x02
    static let upperUUID: UInt8 = 0x03
    static let lowerHex: UInt8 = 0x04
    static let upperHex: UInt8 = 0x05
    static let phrase: UInt8 = 0x06
    /// Format 2 only: a position in the window (LEB128, below `referableWindowCount`) and a
    /// length less `referenceMinimum` (one byte). A tab: never a code in format 1, and never in
    /// the JSON this packs (`encode` keeps a text with a byte below 0x20 as text).
    static let reference: UInt8 = 0x09
    /// The first phrases of the table, one byte each.
    static let singlePhraseCodes: [UInt8] = [0x07, 0x08, 0x0B, 0x0C] + Array(0x0E...0x1F)

    /// Hex runs shorter than this stay as they are: a run costs two bytes of header.
    static let hexRunMinimum = 8

    /// The most JSON one stored value may decode to. A byte can stand for a phrase of 47, so a
    /// damaged value could otherwise ask for gigabytes (and a length the hash cannot encode).
    /// The largest event is a batch of audit records from a body of at most 64 MiB (the highest
    /// `--audit-body-bytes-max`); four times that leaves room for its JSON's escapes.
    static let jsonBytesMax = 256 << 20

    struct DecodingError: Error, CustomStringConvertible {
        var description: String
    }

    /// The bytes to store for a row's canonical `data` or `meta` JSON in format 2, or nil when
    /// it is kept as text (not smaller, or holding a byte below 0x20). `prefix` is the row's
    /// `contextPrefix`; `previous` the row's `data` JSON when this is its `meta`. A text that
    /// starts with byte 1 or 2 would read back as compact; JSON never does (the ledger stores
    /// only what its JSON encoder wrote: `{`).
    static func compact(_ json: Data, prefix: [UInt8], previous: Data = Data()) -> Data? {
        json.withUnsafeBytes { input in
            prefix.withUnsafeBufferPointer { prefix in
                previous.withUnsafeBytes { previous in
                    let context = Context(prefix: prefix, previous: previous.bindMemory(to: UInt8.self))
                    guard let compact = encode(input, context: context), compact.count < input.count else { return nil }
                    return Data(compact)
                }
            }
        }
    }

    /// Format 1, as rows were stored before event_storage_v2 (tests build such rows with it).
    static func compact(_ json: Data) -> Data? {
        json.withUnsafeBytes { input in
            guard let compact = encode(input, context: nil), compact.count < input.count else { return nil }
            return Data(compact)
        }
    }

    /// Whether stored bytes are compact (else they are the JSON text).
    @inline(__always)
    static func isCompact(_ stored: UnsafeRawBufferPointer) -> Bool {
        stored.first == version1 || stored.first == version2
    }

    /// The canonical JSON of stored bytes, compact or text. `prefix` and `previous` are the
    /// row's, as `compact` was given them: required, since a format 2 value read with another
    /// window would copy the wrong bytes (a format 1 value needs neither, and ignores them).
    static func json(_ stored: UnsafeRawBufferPointer, prefix: [UInt8], previous: Data = Data()) throws -> Data {
        guard isCompact(stored) else { return Data(stored) }
        // Written straight into the `Data` a reader keeps: through an array it was decoded into
        // one buffer and copied to another, for every compact column every reader reads.
        let bytes = stored.bindMemory(to: UInt8.self)
        let table = PhraseTable.version1
        return try prefix.withUnsafeBufferPointer { prefix in
            try previous.withUnsafeBytes { previous in
                let context = Context(prefix: prefix, previous: previous.bindMemory(to: UInt8.self))
                let length = try decodedLength(bytes, table, singleCodeEntries, singlePhraseCodes.count, context)
                guard length > 0 else { return Data() }
                var json = Data(count: length)
                _ = try json.withUnsafeMutableBytes { buffer in
                    try write(bytes, table, context, to: buffer.bindMemory(to: UInt8.self).baseAddress!)
                }
                return json
            }
        }
    }

    /// Compact bytes for `input`: format 2 with `context`, format 1 without. nil when it holds
    /// a byte below 0x20 (not JSON this ledger writes; kept as text).
    static func encode(_ input: UnsafeRawBufferPointer, context: Context?) -> [UInt8]? {
        let bytes = input.bindMemory(to: UInt8.self)
        let count = bytes.count
        // Checked before, not per code: a reference passes over the bytes it copies.
        if containsControlByte(bytes) { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        out.append(context == nil ? version1 : version2)
        let table = PhraseTable.version1
        guard let context else {
            var index = 0
            while index < count { index = appendToken(bytes, at: index, table, to: &out) }
            return out
        }
        ReferenceFinder.withFinder(context: context, input: bytes) { references in
            appendWithReferences(bytes, table, &references, to: &out)
        }
        return out
    }

    /// A row's `data` and `meta` as `compact(_:prefix:previous:)` stores each (the `data` as the
    /// `meta`'s previous value), the same bytes, with one finder for the two: the `meta`'s window
    /// starts with the prefix and the `data`, which the `data`'s finder had already put in its
    /// tables (a tenth of the encoder's instructions went to inserting them a second time).
    static func compactRow(data: Data, meta: Data, prefix: [UInt8]) -> (data: Data?, meta: Data?) {
        data.withUnsafeBytes { dataInput in
            meta.withUnsafeBytes { metaInput in
                let dataBytes = dataInput.bindMemory(to: UInt8.self)
                let metaBytes = metaInput.bindMemory(to: UInt8.self)
                // A value kept as text is still the next one's window: such rows (never one this
                // ledger writes) go value by value.
                guard !containsControlByte(dataBytes), !containsControlByte(metaBytes) else {
                    return (compact(data, prefix: prefix), compact(meta, prefix: prefix, previous: data))
                }
                let table = PhraseTable.version1
                var dataOut: [UInt8] = [version2]
                var metaOut: [UInt8] = [version2]
                dataOut.reserveCapacity(dataBytes.count)
                metaOut.reserveCapacity(metaBytes.count)
                prefix.withUnsafeBufferPointer { prefix in
                    let context = Context(prefix: prefix, previous: UnsafeBufferPointer(start: nil, count: 0))
                    ReferenceFinder.withFinder(context: context, input: dataBytes, following: metaBytes) { references in
                        appendWithReferences(dataBytes, table, &references, to: &dataOut)
                        references.moveToFollowing()
                        appendWithReferences(metaBytes, table, &references, to: &metaOut)
                    }
                }
                return (
                    dataOut.count < dataBytes.count ? Data(dataOut) : nil,
                    metaOut.count < metaBytes.count ? Data(metaOut) : nil
                )
            }
        }
    }

    /// Format 2's codes for `bytes`, the finder's input, appended to `out`.
    private static func appendWithReferences(
        _ bytes: UnsafeBufferPointer<UInt8>, _ table: PhraseTable, _ references: inout ReferenceFinder,
        to out: inout [UInt8]
    ) {
        var index = 0
        while index < bytes.count {
            var firstToken: Token?
            if let next = references.appendReference(at: index, to: &out, table, firstToken: &firstToken) {
                index = next
                continue
            }
            index = append(firstToken ?? token(bytes, at: index, table), bytes, at: index, to: &out)
        }
    }

    /// How format 1 codes the run at `index` (one code, or one byte as itself): what it consumes
    /// and what it stores.
    enum Token {
        case uuid(upper: Bool)
        case phrase(entry: Int, length: Int)
        case hex(upper: Bool, pairs: Int)
        case literal

        var consumed: Int {
            switch self {
            case .uuid: 36
            case .phrase(_, let length): length
            case .hex(_, let pairs): 2 * pairs
            case .literal: 1
            }
        }

        var storedCount: Int {
            switch self {
            case .uuid: 17
            case .phrase(let entry, _): entry < EventStorageCodec.singlePhraseCodes.count ? 1 : 2
            case .hex(_, let pairs): 2 + pairs
            case .literal: 1
            }
        }
    }

    @inline(__always)
    static func token(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ table: PhraseTable) -> Token {
        if let upper = uuidCase(bytes, at: index) { return .uuid(upper: upper) }
        if let (entry, length) = table.longestMatch(bytes, at: index) { return .phrase(entry: entry, length: length) }
        let (run, upper) = hexRun(bytes, at: index)
        if run >= hexRunMinimum { return .hex(upper: upper, pairs: min(run / 2, 255)) }
        return .literal
    }

    /// Appends the token at `index` and returns the index after it.
    @inline(__always)
    static func appendToken(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ table: PhraseTable, to out: inout [UInt8]
    ) -> Int {
        append(token(bytes, at: index, table), bytes, at: index, to: &out)
    }

    /// Appends `token`, the token at `index`, and returns the index after it.
    @inline(__always)
    static func append(_ token: Token, _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, to out: inout [UInt8]) -> Int {
        switch token {
        case .uuid(let upper):
            out.append(upper ? upperUUID : lowerUUID)
            appendUUIDBytes(bytes, at: index, to: &out)
        case .phrase(let entry, _):
            if entry < singlePhraseCodes.count {
                out.append(singlePhraseCodes[entry])
            } else {
                out.append(phrase)
                out.append(UInt8(entry - singlePhraseCodes.count))
            }
        case .hex(let upper, let pairs):
            out.append(upper ? upperHex : lowerHex)
            out.append(UInt8(pairs))
            appendInPlace(pairs, to: &out) { written in
                for pair in 0..<pairs {
                    written[pair] = nibble(bytes[index + 2 * pair]) << 4 | nibble(bytes[index + 2 * pair + 1])
                }
            }
        case .literal:
            out.append(bytes[index])
        }
        return index + token.consumed
    }

    /// Decodes compact bytes into `scratch` from `offset` and returns the JSON's length (the JSON
    /// is `scratch[offset..<offset + length]`; what lies before `offset` is kept). For a caller
    /// that decodes value after value into one buffer (the chain check): one pass, and nothing
    /// zero-filled per value. `scratch` grows to hold the most the value could decode to
    /// (`jsonBytesPerStoredByteMax` a stored byte) and never shrinks; a value whose bound is above
    /// `scratchBoundMax` is measured exactly first instead.
    ///
    /// A format 2 value's window is `prefix`, then `scratch[previous]` (the row's `data` JSON,
    /// decoded before it), which must end at or before `offset`.
    static func decode(
        _ stored: UnsafeRawBufferPointer, intoScratch scratch: inout [UInt8], at offset: Int = 0,
        prefix: [UInt8], previous: Range<Int> = 0..<0
    ) throws -> Int {
        let bytes = stored.bindMemory(to: UInt8.self)
        guard isCompact(stored) else { throw DecodingError(description: "not a compact value") }
        precondition(previous.upperBound <= offset, "the previous value lies before this one")
        let table = PhraseTable.version1
        var capacity = (bytes.count - 1) * jsonBytesPerStoredByteMax
        return try prefix.withUnsafeBufferPointer { prefix in
            if capacity > scratchBoundMax {
                capacity = try scratch.withUnsafeBufferPointer { buffer in
                    let context = Context(prefix: prefix, previous: UnsafeBufferPointer(rebasing: buffer[previous]))
                    return try decodedLength(bytes, table, singleCodeEntries, singlePhraseCodes.count, context)
                }
            }
            growScratch(&scratch, to: offset + capacity)
            return try scratch.withUnsafeMutableBufferPointer { buffer in
                let base = UnsafePointer(buffer.baseAddress!)
                let context = Context(
                    prefix: prefix, previous: UnsafeBufferPointer(start: base + previous.lowerBound, count: previous.count))
                return try write(bytes, table, context, to: buffer.baseAddress! + offset)
            }
        }
    }

    /// Makes `scratch` at least `count` bytes long, keeping what it holds; at least doubling,
    /// so a caller that grows it value by value copies it a few times only.
    static func growScratch(_ scratch: inout [UInt8], to count: Int) {
        guard scratch.count < count else { return }
        scratch.append(contentsOf: repeatElement(0, count: max(count, 2 * scratch.count) - scratch.count))
    }

    /// The most JSON bytes one stored byte stands for: the longest phrase for a one-byte code
    /// (two-byte codes, hex runs and literal bytes give less), a UUID's 36 for its 17, or the
    /// longest reference for its three bytes.
    static let jsonBytesPerStoredByteMax = max(
        3, PhraseTable.version1.lengths.max() ?? 0, (referenceLengthMax + 2) / 3)

    /// Above this a value is measured before it is decoded rather than given its bound: a
    /// damaged value of phrase codes must not make the scratch buffer 47 times its size.
    static let scratchBoundMax = 1 << 20

    /// Writes the JSON of compact `bytes` at `target`, which must have room for it, checking
    /// every code and bound as it goes; returns the length written.
    private static func write(
        _ bytes: UnsafeBufferPointer<UInt8>, _ table: PhraseTable, _ context: Context,
        to start: UnsafeMutablePointer<UInt8>
    ) throws -> Int {
        // Statics read once here, not in the loop: each read of a static is a `swift_once` check,
        // 3 % of a chain check's time when they were read per byte.
        let entries = singleCodeEntries
        let singleCount = singlePhraseCodes.count
        let lowerPairs = hexPairs(upper: false)
        let upperPairs = hexPairs(upper: true)
        let count = bytes.count
        let allowsReferences = bytes[0] == version2
        let contextCount = context.prefix.count + context.previous.count
        return try table.joined.withUnsafeBufferPointer { phraseBytes in
            var target = start
            var index = 1
            while index < count {
                let byte = bytes[index]
                index += 1
                if byte >= 0x20 {
                    target.pointee = byte
                    target += 1
                    continue
                }
                switch byte {
                case lowerUUID, upperUUID:
                    guard index + 16 <= count else { throw DecodingError(description: "a UUID is cut short") }
                    writeUUIDText(bytes, at: index, pairs: byte == upperUUID ? upperPairs : lowerPairs, to: &target)
                    index += 16
                case lowerHex, upperHex:
                    guard index < count else { throw DecodingError(description: "a hex run is cut short") }
                    let byteCount = Int(bytes[index])
                    index += 1
                    guard index + byteCount <= count else { throw DecodingError(description: "a hex run is cut short") }
                    let pairs = byte == upperHex ? upperPairs : lowerPairs
                    writeHex(bytes, at: index, count: byteCount, pairs: pairs, to: &target)
                    index += byteCount
                case reference where allowsReferences:
                    let (position, length) = try readReference(bytes, &index)
                    guard position + length <= contextCount + (target - start) else {
                        throw DecodingError(description: "a reference reaches past the bytes before it")
                    }
                    copyFromWindow(position, length, context, start, to: &target)
                default:
                    let entry: Int
                    if byte == phrase {
                        guard index < count else { throw DecodingError(description: "a phrase is cut short") }
                        entry = singleCount + Int(bytes[index])
                        index += 1
                    } else {
                        entry = Int(entries[Int(byte)])
                    }
                    guard entry >= 0, entry < table.lengths.count else {
                        throw DecodingError(description: "byte \(byte) is not a code")
                    }
                    let phraseLength = table.lengths[entry]
                    target.update(from: phraseBytes.baseAddress! + table.offsets[entry], count: phraseLength)
                    target += phraseLength
                }
            }
            return target - start
        }
    }

    /// The length of the JSON `bytes` decode to, having checked every code, count and bound.
    private static func decodedLength(
        _ bytes: UnsafeBufferPointer<UInt8>, _ table: PhraseTable, _ entries: [Int16], _ singleCount: Int,
        _ context: Context
    ) throws -> Int {
        let count = bytes.count
        let limit = jsonBytesMax
        let allowsReferences = bytes[0] == version2
        let contextCount = context.prefix.count + context.previous.count
        var length = 0
        var index = 1
        while index < count {
            let byte = bytes[index]
            index += 1
            if byte >= 0x20 {
                length += 1
                continue
            }
            switch byte {
            case lowerUUID, upperUUID:
                guard index + 16 <= count else { throw DecodingError(description: "a UUID is cut short") }
                length += 36
                index += 16
            case lowerHex, upperHex:
                guard index < count else { throw DecodingError(description: "a hex run is cut short") }
                let pairs = Int(bytes[index])
                index += 1
                guard index + pairs <= count else { throw DecodingError(description: "a hex run is cut short") }
                length += 2 * pairs
                index += pairs
            case phrase:
                guard index < count else { throw DecodingError(description: "a phrase is cut short") }
                let entry = singleCount + Int(bytes[index])
                index += 1
                guard entry < table.lengths.count else { throw DecodingError(description: "phrase \(entry) is unknown") }
                length += table.lengths[entry]
            case reference where allowsReferences:
                let (position, referenced) = try readReference(bytes, &index)
                guard position + referenced <= contextCount + length else {
                    throw DecodingError(description: "a reference reaches past the bytes before it")
                }
                length += referenced
            default:
                let entry = Int(entries[Int(byte)])
                guard entry >= 0, entry < table.lengths.count else {
                    throw DecodingError(description: "byte \(byte) is not a code")
                }
                length += table.lengths[entry]
            }
            if length > limit { throw DecodingError(description: "decodes to more than \(jsonBytesMax) bytes") }
        }
        return length
    }

    /// The 16 bytes at `index` as a UUID's 36 characters, hyphens included, at `target` (moved
    /// past them), in the case of `pairs` (`hexPairs(upper:)`). `EventKeyStorage` writes the log's
    /// keys with it too.
    @inline(__always)
    static func writeUUIDText(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, pairs: UnsafePointer<UInt16>,
        to target: inout UnsafeMutablePointer<UInt8>
    ) {
        let raw = UnsafeMutableRawPointer(target)
        var written = 0
        for offset in 0..<16 {
            if offset == 4 || offset == 6 || offset == 8 || offset == 10 {
                raw.storeBytes(of: UInt8(ascii: "-"), toByteOffset: written, as: UInt8.self)
                written += 1
            }
            raw.storeBytes(of: pairs[Int(bytes[index + offset])], toByteOffset: written, as: UInt16.self)
            written += 2
        }
        target += written
    }

    /// `count` bytes from `index` as 2 × `count` hex digits at `target` (moved past them).
    @inline(__always)
    private static func writeHex(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, count: Int, pairs: UnsafePointer<UInt16>,
        to target: inout UnsafeMutablePointer<UInt8>
    ) {
        let raw = UnsafeMutableRawPointer(target)
        for offset in 0..<count {
            raw.storeBytes(of: pairs[Int(bytes[index + offset])], toByteOffset: 2 * offset, as: UInt16.self)
        }
        target += 2 * count
    }

    /// Each byte's two hex digits as they lie in memory, the high digit first: 256 entries in
    /// lower case, then 256 in upper case. Looked up a byte at a time, not worked out a digit at a
    /// time: with a compare and a select per digit, writing UUIDs and hex runs was over a third of
    /// the decoder's samples and 6 % of the chain check's reading thread.
    ///
    /// Allocated once and never freed; only ever read, so every thread may share it.
    private nonisolated(unsafe) static let hexPairTable: UnsafePointer<UInt16> = {
        let table = UnsafeMutablePointer<UInt16>.allocate(capacity: 512)
        let digits: [[UInt8]] = [Array("0123456789abcdef".utf8), Array("0123456789ABCDEF".utf8)]
        for (half, letters) in digits.enumerated() {
            for byte in 0..<256 {
                let text = (letters[byte >> 4], letters[byte & 0x0F])
                table[half * 256 + byte] = withUnsafeBytes(of: text) { $0.loadUnaligned(as: UInt16.self) }
            }
        }
        return UnsafePointer(table)
    }()

    @inline(__always)
    static func hexPairs(upper: Bool) -> UnsafePointer<UInt16> { hexPairTable + (upper ? 256 : 0) }

    /// For each byte below 0x20, the entry it stands for alone, or -1.
    private static let singleCodeEntries: [Int16] = (0..<0x20).map { code in
        Int16(singlePhraseCodes.firstIndex(of: UInt8(code)) ?? -1)
    }

    /// true for an upper-case UUID at `index`, false for a lower-case one (or one of digits
    /// only), nil when there is none or its letters mix cases.
    @inline(__always)
    static func uuidCase(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool? {
        guard index + 36 <= bytes.count, bytes[index + 8] == hyphen, bytes[index + 13] == hyphen,
            bytes[index + 18] == hyphen, bytes[index + 23] == hyphen
        else { return nil }
        var lower = false
        var upper = false
        // Compares with wrapping differences, not a `switch` over ranges (see `nibble`).
        for offset in 0..<36 where offset != 8 && offset != 13 && offset != 18 && offset != 23 {
            let byte = bytes[index + offset]
            if byte &- UInt8(ascii: "0") < 10 { continue }
            if byte &- UInt8(ascii: "a") < 6 {
                lower = true
            } else if byte &- UInt8(ascii: "A") < 6 {
                upper = true
            } else {
                return nil
            }
        }
        if lower && upper { return nil }
        return upper
    }

    private static let hyphen = UInt8(ascii: "-")

    static func appendUUIDBytes(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, to out: inout [UInt8]) {
        appendInPlace(16, to: &out) { written in
            var offset = index
            for slot in 0..<16 {
                if bytes[offset] == hyphen { offset += 1 }
                written[slot] = nibble(bytes[offset]) << 4 | nibble(bytes[offset + 1])
                offset += 2
            }
        }
    }

    /// Appends `count` bytes that `write` fills in place (given only those bytes): one append,
    /// where an `append` per byte checked the array's uniqueness and capacity each time (a UUID's
    /// sixteen, a hex run's up to 255).
    @inline(__always)
    static func appendInPlace(
        _ count: Int, to out: inout [UInt8], _ write: (UnsafeMutableBufferPointer<UInt8>) -> Void
    ) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: count))
        out.withUnsafeMutableBufferPointer { write(UnsafeMutableBufferPointer(rebasing: $0[start...])) }
    }

    /// The length of the run of hex digits at `index` of one case (digits count as either), and
    /// whether its letters are upper case.
    @inline(__always)
    private static func hexRun(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Int, Bool) {
        var lowerEnd = index
        while lowerEnd < bytes.count, isDigitOrLowerHex(bytes[lowerEnd]) { lowerEnd += 1 }
        var upperEnd = index
        while upperEnd < bytes.count, isDigitOrUpperHex(bytes[upperEnd]) { upperEnd += 1 }
        return upperEnd > lowerEnd ? (upperEnd - index, true) : (lowerEnd - index, false)
    }

    @inline(__always)
    private static func isDigitOrLowerHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
    }

    @inline(__always)
    private static func isDigitOrUpperHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46)
    }

    /// The value of a hex digit (the encoder calls it on digits only). Compares, not a `switch`
    /// over ranges: each range pattern was a call to `ClosedRange.contains` that the optimizer
    /// left in place, 7 % of the encoder's samples under `perf` (with `uuidCase`'s, 12 %).
    @inline(__always)
    static func nibble(_ byte: UInt8) -> UInt8 {
        byte <= 0x39 ? byte &- 0x30 : (byte | 0x20) &- 0x61 &+ 10
    }

    /// Whether `bytes` holds a byte below 0x20, eight bytes at a time: a word has one exactly
    /// when `(word - 0x20…20) & ~word & 0x80…80` is not zero (a byte below 0x20 borrows into its
    /// top bit, and a byte of 0x80 or more is masked out by `~word`; a borrow only ever marks a
    /// byte above one that is really below). `contains(where:)` over the row's two values, a
    /// byte at a time through a closure, was 5 % of the encoder's samples.
    static func containsControlByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            if (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080 != 0 { return true }
            offset += 8
        }
        while offset < bytes.count {
            if base[offset] < 0x20 { return true }
            offset += 1
        }
        return false
    }
}

/// A phrase table, with its entries found by their first two bytes.
///
/// A class: as a struct of seven arrays, every `let table = PhraseTable.version1` (each decode
/// of a compact value) retained and released all seven, 2.5 % of a replay's applying thread.
final class PhraseTable: Sendable {
    let phrases: [[UInt8]]
    /// The phrases end to end, where each starts and how long it is: the decoder copies from
    /// one buffer.
    let joined: [UInt8]
    let offsets: [Int]
    let lengths: [Int]
    /// For each first two bytes, a range into `candidates`: the entries starting with them,
    /// longest first.
    private let starts: [Int32]
    private let ends: [Int32]
    private let candidates: [Int32]
    /// For each place in `candidates`: its entry's first eight bytes read little-endian (zeros
    /// past a shorter entry's end) and its length, side by side with the candidates for the
    /// loop that walks them. Most candidates differ from the input in their first eight bytes,
    /// which one compare of words tells (a `memcmp` call each was a fifth of the encoder).
    private let candidateWords: [UInt64]
    private let candidateLengths: [Int]

    init(_ strings: [String]) {
        phrases = strings.map { Array($0.utf8) }
        joined = phrases.flatMap { $0 }
        lengths = phrases.map(\.count)
        offsets = lengths.reduce(into: [0]) { $0.append($0.last! + $1) }.dropLast()
        precondition(
            phrases.count <= EventStorageCodec.singlePhraseCodes.count + 256
                && phrases.allSatisfy { $0.count >= 2 && $0.allSatisfy { $0 >= 0x20 } },
            "a phrase table holds at most \(EventStorageCodec.singlePhraseCodes.count + 256) entries of two or more bytes, none below 0x20"
        )
        var byKey: [Int: [Int]] = [:]
        for (entry, bytes) in phrases.enumerated() { byKey[Int(bytes[0]) << 8 | Int(bytes[1]), default: []].append(entry) }
        var starts = [Int32](repeating: 0, count: 1 << 16)
        var ends = [Int32](repeating: 0, count: 1 << 16)
        var candidates: [Int32] = []
        for (key, entries) in byKey {
            starts[key] = Int32(candidates.count)
            let phrases = phrases
            candidates += entries.sorted { phrases[$0].count > phrases[$1].count }.map { Int32($0) }
            ends[key] = Int32(candidates.count)
        }
        self.starts = starts
        self.ends = ends
        self.candidates = candidates
        let phrases = phrases
        candidateWords = candidates.map { entry in
            phrases[Int(entry)].prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }
        }
        candidateLengths = candidates.map { phrases[Int($0)].count }
    }

    /// The longest entry that `bytes` holds at `index`, and its length.
    @inline(__always)
    func longestMatch(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Int, Int)? {
        guard index + 1 < bytes.count else { return nil }
        let key = Int(bytes[index]) << 8 | Int(bytes[index + 1])
        var candidate = Int(starts[key])
        let end = Int(ends[key])
        guard candidate < end else { return nil }
        let available = bytes.count - index
        let start = UnsafeRawPointer(bytes.baseAddress! + index)
        var word: UInt64 = 0
        if available >= 8 {
            word = UInt64(littleEndian: start.loadUnaligned(as: UInt64.self))
        } else {
            for offset in 0..<available { word |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
        }
        while candidate < end {
            let length = candidateLengths[candidate]
            // The bytes of the input word the entry has (all eight for an entry of eight or more).
            let mask: UInt64 = length >= 8 ? ~0 : (1 << (8 * UInt64(length))) &- 1
            if length <= available, word & mask == candidateWords[candidate] {
                let entry = Int(candidates[candidate])
                if length <= 8
                    || joined.withUnsafeBytes({
                        memcmp($0.baseAddress! + offsets[entry] + 8, start + 8, length - 8) == 0
                    })
                {
                    return (entry, length)
                }
            }
            candidate += 1
        }
        return nil
    }
}
