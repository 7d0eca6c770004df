import Foundation
import LedgerCore

/// Format 2's references: a run of a row's JSON that the row has already said (in its stream, its
/// time, its `data`, or earlier in the same value) is stored as where it was said and how long it
/// is. A settle's `spend_id` is its stream's UUID, its `settled_at_ms` the row's `recorded_at`,
/// its actor's connection the `connection_id` of its `data`, its subject its `on_behalf_of`.
///
/// Written by hand for the reason the rest of the codec is: no library on this machine's list
/// does this to small records, and zlib's preset dictionary costs microseconds a row to inflate.
extension EventStorageCodec {
    /// What a reference may copy from before the value's own JSON, in window order.
    struct Context {
        /// `contextPrefix(stream:recordedAtMs:)` of the row.
        var prefix: UnsafeBufferPointer<UInt8>
        /// The row's `data` JSON, for its `meta`; empty for `data`.
        var previous: UnsafeBufferPointer<UInt8>
    }

    /// Shorter runs are never worth a reference (three bytes at least).
    static let referenceMinimum = 4
    static let referenceLengthMax = referenceMinimum + 255
    /// References point into the first 64 KiB of a window only: positions take at most three
    /// bytes, and the encoder's tables stay small whatever a value's size (an audit batch may be
    /// megabytes).
    static let referableWindowCount = 1 << 16

    /// The start of a row's window: its stream and its `recorded_at` in decimal, as text.
    static func contextPrefix(stream: String, recordedAtMs: Int64) -> [UInt8] {
        var prefix: [UInt8] = []
        prefix.reserveCapacity(stream.utf8.count + 20)  // 20: the most digits an Int64 takes, and its sign
        appendContextPrefix(stream: stream.utf8, recordedAtMs: recordedAtMs, to: &prefix)
        return prefix
    }

    /// The same, from the stream's UTF-8 text, appended to `prefix` (the chain check builds one
    /// per row from the bytes it hashes).
    static func appendContextPrefix(
        stream: some Collection<UInt8>, recordedAtMs: Int64, to prefix: inout [UInt8]
    ) {
        prefix.append(contentsOf: stream)
        JSONOutput.appendDecimal(recordedAtMs, to: &prefix)
    }

    /// Reads a reference's position and length after its code, moving `index` past them.
    @inline(__always)
    static func readReference(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) throws -> (Int, Int) {
        var position = 0
        var shift = 0
        while true {
            guard index < bytes.count else { throw DecodingError(description: "a reference is cut short") }
            let byte = bytes[index]
            index += 1
            position |= Int(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
            guard shift < 21 else { throw DecodingError(description: "a reference's position is too long") }
        }
        guard index < bytes.count else { throw DecodingError(description: "a reference is cut short") }
        let length = referenceMinimum + Int(bytes[index])
        index += 1
        return (position, length)
    }

    /// Copies `length` bytes from `position` in the window (the context's prefix, its previous
    /// value, then what has been written from `start`) to `target`, moved past them. The caller
    /// has checked that they lie before `target`.
    @inline(__always)
    static func copyFromWindow(
        _ position: Int, _ length: Int, _ context: Context, _ start: UnsafeMutablePointer<UInt8>,
        to target: inout UnsafeMutablePointer<UInt8>
    ) {
        var position = position
        var remaining = length
        // The two parts by hand, not a loop over an array of them: that allocated per reference.
        @inline(__always)
        func take(_ part: UnsafeBufferPointer<UInt8>) {
            guard remaining > 0 else { return }
            guard position < part.count else { return position -= part.count }
            let taken = min(remaining, part.count - position)
            target.update(from: part.baseAddress! + position, count: taken)
            target += taken
            remaining -= taken
            position = 0
        }
        take(context.prefix)
        take(context.previous)
        if remaining > 0 {
            target.update(from: start + position, count: remaining)
            target += remaining
        }
    }

    /// Finds, at each position of a value being encoded, the longest run the window holds before
    /// it (hash chains over four bytes, as DEFLATE's encoders do), and stores it as a reference
    /// when that is shorter than what format 1 would store for the same run.
    struct ReferenceFinder {
        private var input: UnsafeBufferPointer<UInt8>
        /// The window laid end to end: the context's prefix, its previous value, the input, and
        /// the value encoded after it in the same finder, if any (`moveToFollowing`).
        private let window: UnsafeBufferPointer<UInt8>
        private var inputStart: Int
        /// Where the input ends in the window: no run found reaches past it, and no position
        /// whose four bytes reach past it is in the tables yet.
        private var inputEnd: Int
        /// The value after the input, which `moveToFollowing` makes the input.
        private let following: UnsafeBufferPointer<UInt8>
        /// The latest position of each hash, and for each position the one before it with its hash.
        private let heads: UnsafeMutableBufferPointer<Int32>
        private let chain: UnsafeMutableBufferPointer<Int32>
        /// Positions below this are in the tables.
        private var inserted = 0
        /// How far back the last reference copied from: a copy of a longer run (a `meta` that
        /// repeats much of its `data`) continues there, past runs the chains would not reach.
        private var lastDistance = 0

        private static let hashBits = 10
        /// Candidates tried per position: enough for JSON's few repeats, bounded for any input.
        private static let candidatesMax = 16

        /// A finder for one value, its window and tables in memory that lasts only as long as
        /// `body` (`FinderMemory`'s blocks, kept between rows). They were three arrays: making
        /// and filling them, each write's uniqueness check and each read's bounds check were
        /// three tenths of the encoder's instructions under callgrind (100,500 → 70,800 a
        /// command), the encoder a tenth of a keysend payment's. Every index below stays inside
        /// the bounds the arrays checked.
        ///
        /// `following`: a value encoded next with this finder (a row's `meta` after its `data`),
        /// whose window is this one's and the input. Its positions are numbered as in a finder
        /// of its own with the input as `previous`, and its tables hold what that finder's would
        /// when it reaches them; the positions of the prefix and the input are inserted once for
        /// both values instead of once each (`EventStorageReferencesTests` holds the two ways to
        /// the same bytes).
        static func withFinder<T>(
            context: Context, input: UnsafeBufferPointer<UInt8>,
            following: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0),
            _ body: (inout ReferenceFinder) throws -> T
        ) rethrows -> T {
            let windowCount = context.prefix.count + context.previous.count + input.count + following.count
            let chainCount = min(windowCount, EventStorageCodec.referableWindowCount)
            let tableCount = (1 << hashBits) + chainCount
            let tableBytes = tableCount * MemoryLayout<Int32>.stride
            return try FinderMemory.with(byteCount: tableBytes + windowCount) { memory in
                let tables = UnsafeMutableBufferPointer(
                    start: memory.bindMemory(to: Int32.self, capacity: tableCount), count: tableCount)
                let window = UnsafeMutableBufferPointer(
                    start: (memory + tableBytes).bindMemory(to: UInt8.self, capacity: windowCount), count: windowCount)
                var filled = 0
                func append(_ part: UnsafeBufferPointer<UInt8>) {
                    guard let source = part.baseAddress, !part.isEmpty else { return }
                    (window.baseAddress! + filled).update(from: source, count: part.count)
                    filled += part.count
                }
                append(context.prefix)
                append(context.previous)
                append(input)
                append(following)
                let heads = UnsafeMutableBufferPointer(rebasing: tables[..<(1 << hashBits)])
                heads.update(repeating: -1)
                // The chain is not filled: `insert` writes each position's entry before any read
                // can reach it (only positions already inserted are ever heads or links).
                let chain = UnsafeMutableBufferPointer(rebasing: tables[(1 << hashBits)...])
                var finder = ReferenceFinder(
                    input: input, window: UnsafeBufferPointer(window),
                    inputStart: context.prefix.count + context.previous.count, following: following, heads: heads,
                    chain: chain)
                return try body(&finder)
            }
        }

        private init(
            input: UnsafeBufferPointer<UInt8>, window: UnsafeBufferPointer<UInt8>, inputStart: Int,
            following: UnsafeBufferPointer<UInt8>, heads: UnsafeMutableBufferPointer<Int32>,
            chain: UnsafeMutableBufferPointer<Int32>
        ) {
            self.input = input
            self.window = window
            self.inputStart = inputStart
            self.inputEnd = inputStart + input.count
            self.following = following
            self.heads = heads
            self.chain = chain
        }

        /// Makes the value given as `following` the input, its window everything before it.
        mutating func moveToFollowing() {
            inputStart = inputEnd
            input = following
            inputEnd = inputStart + input.count
            lastDistance = 0
        }

        /// Appends a reference for the run at `index` of the input and returns the index after
        /// it, or returns nil (appending nothing) when format 1's codes store the run in fewer
        /// bytes. The reference ends where one of those codes ends: a UUID or phrase is not cut.
        /// `firstToken` is set to the token at `index` when it was worked out here, for the
        /// caller that stores it instead.
        mutating func appendReference(
            at index: Int, to out: inout [UInt8], _ table: PhraseTable, firstToken: inout Token?
        ) -> Int? {
            let position = inputStart + index
            insert(upTo: position)
            guard let (source, length) = longestMatch(at: position) else { return nil }
            // No token stores its run in more bytes than the run has, so format 1 would store
            // this run in `length` bytes at most: a reference as long or longer cannot win, and
            // the tokens need not be worked out.
            guard 2 + Self.varintCount(source) < length else { return nil }
            var covered = 0
            var cost = 0
            while covered < length {
                let token = EventStorageCodec.token(input, at: index + covered, table)
                if covered == 0 { firstToken = token }
                guard covered + token.consumed <= length else { break }
                covered += token.consumed
                cost += token.storedCount
            }
            guard covered >= EventStorageCodec.referenceMinimum, 2 + Self.varintCount(source) < cost else { return nil }
            out.append(EventStorageCodec.reference)
            var value = source
            while value >= 0x80 {
                out.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            out.append(UInt8(value))
            out.append(UInt8(covered - EventStorageCodec.referenceMinimum))
            lastDistance = position - source
            return index + covered
        }

        private static func varintCount(_ value: Int) -> Int { value < 0x80 ? 1 : value < 0x4000 ? 2 : 3 }

        @inline(__always)
        private func hash(at position: Int) -> Int {
            let word =
                UInt32(window[position]) | UInt32(window[position + 1]) << 8 | UInt32(window[position + 2]) << 16
                | UInt32(window[position + 3]) << 24
            return Int((word &* 2_654_435_761) >> (32 - UInt32(Self.hashBits)))
        }

        /// Puts the positions before `end` in the tables, as far as they reach (`chain.count`) and
        /// as far as the input holds four bytes from them; the rest wait for a following value.
        private mutating func insert(upTo end: Int) {
            let last = min(end, chain.count, inputEnd - 3)
            while inserted < last {
                let slot = hash(at: inserted)
                chain[inserted] = heads[slot]
                heads[slot] = Int32(inserted)
                inserted += 1
            }
        }

        /// The longest run at `position` that starts earlier in the window and ends before
        /// `position` (a reference never copies bytes it is itself writing).
        private func longestMatch(at position: Int) -> (Int, Int)? {
            guard position + EventStorageCodec.referenceMinimum <= inputEnd else { return nil }
            var best = (0, 0)
            let base = UnsafeRawPointer(window.baseAddress!)
            func consider(_ candidate: Int) -> Bool {
                let bound = min(inputEnd - position, position - candidate, EventStorageCodec.referenceLengthMax)
                var length = 0
                var differs = false
                // Eight bytes a step while eight remain: the first byte that differs is the
                // lowest set byte of the two words' difference (read little-endian).
                while length + 8 <= bound {
                    let difference =
                        UInt64(littleEndian: (base + candidate + length).loadUnaligned(as: UInt64.self))
                        ^ UInt64(littleEndian: (base + position + length).loadUnaligned(as: UInt64.self))
                    if difference != 0 {
                        length += difference.trailingZeroBitCount >> 3
                        differs = true
                        break
                    }
                    length += 8
                }
                if !differs {
                    while length < bound, window[candidate + length] == window[position + length] { length += 1 }
                }
                if length > best.1 { best = (candidate, length) }
                return length == bound
            }
            let repeated = position - lastDistance
            if lastDistance > 0, repeated < chain.count, consider(repeated) { return best }
            var candidate = Int(heads[hash(at: position)])
            var tried = 0
            while candidate >= 0, tried < Self.candidatesMax {
                if consider(candidate) { break }
                candidate = Int(chain[candidate])
                tried += 1
            }
            return best.1 >= EventStorageCodec.referenceMinimum ? best : nil
        }
    }
}
