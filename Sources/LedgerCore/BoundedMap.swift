/// A dictionary that forgets its oldest entries past `capacity`, so state kept in memory for the
/// life of the process (quotes, invoices) cannot grow without limit.
package struct BoundedMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    package let capacity: Int
    private var entries: [Key: (sequence: Int, value: Value)] = [:]
    /// Insertion order. A key removed and added again appears twice; the sequence number tells the
    /// live position from the stale one, so eviction never drops a fresh entry.
    private var order: [(key: Key, sequence: Int)] = []
    /// Index of the oldest position not yet evicted, so eviction is O(1) amortised.
    private var head = 0
    private var nextSequence = 0

    package init(capacity: Int) {
        precondition(capacity > 0, "BoundedMap needs room for at least one entry")
        self.capacity = capacity
    }

    package var count: Int { entries.count }

    package subscript(key: Key) -> Value? {
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

    private mutating func evictIfNeeded() {
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
