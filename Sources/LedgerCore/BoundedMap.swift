/// A dictionary that forgets its oldest entries past `capacity`, so state kept in memory for the
/// life of the process (quotes, invoices) cannot grow without limit.
///
/// Public and inlinable, its state usable from inlined code: used from other modules it was
/// otherwise reached unspecialized, each look-up asking the runtime for its tuple and optional
/// types' metadata and calling the generic `Dictionary` (1,600 instructions for one of the
/// writer's term codes under callgrind, eight per command). `@inlinable package` was not enough:
/// Swift 6.3 kept calling the unspecialized getter from LedgerStore.
public struct BoundedMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    public let capacity: Int
    @usableFromInline var entries: [Key: (sequence: Int, value: Value)] = [:]
    /// Insertion order. A key removed and added again appears twice; the sequence number tells the
    /// live position from the stale one, so eviction never drops a fresh entry.
    @usableFromInline var order: [(key: Key, sequence: Int)] = []
    /// Index of the oldest position not yet evicted, so eviction is O(1) amortised.
    @usableFromInline var head = 0
    @usableFromInline var nextSequence = 0

    @inlinable
    public init(capacity: Int) {
        precondition(capacity > 0, "BoundedMap needs room for at least one entry")
        self.capacity = capacity
    }

    @inlinable
    public var count: Int { entries.count }

    @inlinable
    public subscript(key: Key) -> Value? {
        get { entries[key]?.value }
        set {
            guard let newValue else {
                entries[key] = nil
                return
            }
            if let existing = entries[key] {
                entries[key] = (existing.sequence, newValue)
                return
            }
            entries[key] = (nextSequence, newValue)
            order.append((key, nextSequence))
            nextSequence += 1
            evictIfNeeded()
        }
    }

    /// Every live value, oldest first.
    var valuesOldestFirst: [Value] {
        order[head...].compactMap { position in
            guard let entry = entries[position.key], entry.sequence == position.sequence else { return nil }
            return entry.value
        }
    }

    @usableFromInline
    mutating func evictIfNeeded() {
        while entries.count > capacity, head < order.count {
            let oldest = order[head]
            if entries[oldest.key]?.sequence == oldest.sequence { entries[oldest.key] = nil }
            head += 1
        }
        // Dead positions (evicted, or removed by assigning nil) are dropped once they outnumber the
        // live ones, which keeps `order` within twice `capacity`.
        if order.count - head > capacity * 2 || head > capacity {
            order = order[head...].filter { entries[$0.key]?.sequence == $0.sequence }
            head = 0
        }
    }
}
