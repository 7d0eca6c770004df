/// Bytes appended in place, at the end of one buffer that grows by doubling: what the chain
/// check's reader lays its rows out in, a column or a few bytes at a time.
///
/// Written by hand because `[UInt8]`'s `append(contentsOf:)` costs a call through its generic
/// copy, a uniqueness check and often a retain and release per append: with about fifteen small
/// appends a row, that was a fifth of the reading thread's samples in `perf`. Here an append is a
/// bounds check and a `memcpy`, and a caller may write straight into the room `reserve` gives.
///
/// A reference type so that a batch can be handed to another thread without copying its bytes;
/// one thread uses it at a time (the reader fills it, then gives it away and never touches it
/// again), hence `@unchecked Sendable` and no exclusivity checks.
final class GrowableBytes: @unchecked Sendable {
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// What has been appended, valid until the next append.
    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Room for `extra` more bytes at the end, which the caller writes and then `commit`s.
    @inline(__always)
    func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if count + extra > capacity { grow(to: count + extra) }
        return base + count
    }

    /// Counts `written` bytes the caller wrote at `reserve`'s pointer as appended.
    @inline(__always)
    func commit(_ written: Int) {
        precondition(written >= 0 && count + written <= capacity, "more bytes committed than reserved")
        count += written
    }

    @inline(__always)
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        UnsafeMutableRawPointer(reserve(bytes.count)).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }

    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1).pointee = byte
        count += 1
    }

    /// A big-endian integer, as the hash's encoding writes lengths and numbers.
    @inline(__always)
    func appendBigEndian<Value: FixedWidthInteger>(_ value: Value) {
        UnsafeMutableRawPointer(reserve(MemoryLayout<Value>.size)).storeBytes(of: value.bigEndian, as: Value.self)
        count += MemoryLayout<Value>.size
    }

    /// A byte string behind its length, 4 bytes big-endian, as the hash's encoding writes one.
    @inline(__always)
    func appendWithLength(_ bytes: UnsafeRawBufferPointer) {
        appendBigEndian(UInt32(bytes.count))
        append(bytes)
    }

    /// Empties it, keeping its room.
    func removeAll() { count = 0 }

    /// Writes `value` big-endian over the bytes at `offset`, which must have been appended.
    func overwriteBigEndian<Value: FixedWidthInteger>(_ value: Value, at offset: Int) {
        precondition(offset >= 0 && offset + MemoryLayout<Value>.size <= count, "overwrite past the end")
        UnsafeMutableRawPointer(base + offset).storeBytes(of: value.bigEndian, as: Value.self)
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }
}
