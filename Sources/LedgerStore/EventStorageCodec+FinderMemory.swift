import Synchronization

extension EventStorageCodec {
    /// Memory for the reference finder's window and hash tables, kept between rows.
    ///
    /// The tables alone are over four kilobytes (1,024 heads and a link per position), more
    /// than Swift puts on the stack for `withUnsafeTemporaryAllocation`, so every row the writer
    /// stored allocated them on the heap: an allocation that size makes glibc's `malloc`
    /// consolidate its free lists first, and that was a visible share of the writer's thread
    /// under a payment load (`perf record --call-graph dwarf`). Since the server runs on
    /// mimalloc (CMimalloc) that cost is gone, but a block kept warm still beats fresh memory:
    /// `withUnsafeTemporaryAllocation(byteCount:alignment:)` per row instead ran 0.982 and
    /// 0.961 × the payments a second (`tools/ab-keysend.sh`, both orders) for about the same
    /// instructions (46,372 against 46,007 an event). Rows are encoded on few threads (the
    /// writer's, a replay's), so a few blocks taken and given back under a lock serve them all;
    /// a value too large for a block gets memory of its own, as before.
    enum FinderMemory {
        /// Bytes in a kept block: a window of up to about twelve kilobytes with its tables
        /// (five bytes a position, after the 4 KiB of heads), many times a payment's row (700
        /// bytes with its prefix).
        static let blockBytes = 64 << 10
        /// Blocks kept when given back; more in use at once are freed when given back.
        static let blocksKept = 4

        /// Whole-word aligned: the tables are `Int32`s, and the window follows them.
        static let alignment = MemoryLayout<Int64>.alignment

        /// A block's address: only the thread that took it from `kept` uses it, until it gives
        /// it back.
        private struct Block: @unchecked Sendable {
            let memory: UnsafeMutableRawPointer
        }

        private static let kept = Mutex<[Block]>([])

        /// Runs `body` with at least `byteCount` bytes that nothing else uses meanwhile
        /// (uninitialized: what an earlier row left in them).
        static func with<T>(byteCount: Int, _ body: (UnsafeMutableRawPointer) throws -> T) rethrows -> T {
            guard byteCount <= blockBytes else {
                let memory = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: alignment)
                defer { memory.deallocate() }
                return try body(memory)
            }
            let block =
                kept.withLock { $0.popLast() }
                ?? Block(memory: UnsafeMutableRawPointer.allocate(byteCount: blockBytes, alignment: alignment))
            defer {
                let keptIt = kept.withLock { blocks in
                    guard blocks.count < blocksKept else { return false }
                    blocks.append(block)
                    return true
                }
                if !keptIt { block.memory.deallocate() }
            }
            return try body(block.memory)
        }
    }
}
