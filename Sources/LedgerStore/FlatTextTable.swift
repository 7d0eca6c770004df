/// A fixed list of short texts laid end to end in memory that is never freed, read by index as
/// raw bytes: the event type names and stream prefixes the chain check appends for every row.
///
/// Reading an entry of a `[[UInt8]]` held in a `static let` retained and released both arrays:
/// with a type and a stream a row, that was a tenth of the chain check's reading thread in
/// `perf`. Entries here are pointers into one allocation made when the table is, so reading one
/// copies two integers and touches no reference count.
struct FlatTextTable: @unchecked Sendable {
    // @unchecked: the memory is written once, in `init`, and only read after; it is never freed.
    private let bytes: UnsafePointer<UInt8>
    private let starts: UnsafePointer<Int>
    let count: Int

    init(_ entries: [[UInt8]]) {
        let total = entries.reduce(0) { $0 + $1.count }
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(total, 1))
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: entries.count + 1)
        var offset = 0
        for (index, entry) in entries.enumerated() {
            starts[index] = offset
            (bytes + offset).initialize(from: entry, count: entry.count)
            offset += entry.count
        }
        starts[entries.count] = offset
        self.bytes = UnsafePointer(bytes)
        self.starts = UnsafePointer(starts)
        count = entries.count
    }

    /// Entry `index`, which must be below `count`.
    @inline(__always)
    subscript(index: Int) -> UnsafeRawBufferPointer {
        precondition(index >= 0 && index < count, "no such entry")
        return UnsafeRawBufferPointer(start: bytes + starts[index], count: starts[index + 1] - starts[index])
    }
}
