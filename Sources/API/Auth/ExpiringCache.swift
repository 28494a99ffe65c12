import Synchronization

/// A bounded map whose entries lapse `lifetime` after they are last set. Safe to lose: it only saves work.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let expires: ContinuousClock.Instant
    }

    private let lifetime: Duration
    private let capacity: Int
    private let entries = Mutex<[Key: Entry]>([:])

    init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The value set for `key` within the lifetime, if any.
    subscript(key: Key) -> Value? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[key], entry.expires > now else { return nil }
            return entry.value
        }
    }

    /// Sets `value` for `key`, which renews its lifetime. When full, forgets lapsed entries, and if none
    /// had lapsed the least recently set tenth, so that a flood of new keys never empties the cache.
    func set(_ value: Value, for key: Key) {
        let now = ContinuousClock.now
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity {
                    let oldest = entries.sorted { $0.value.expires < $1.value.expires }.prefix(max(1, capacity / 10))
                    for (key, _) in oldest { entries[key] = nil }
                }
            }
            entries[key] = Entry(value: value, expires: now + lifetime)
        }
    }

    var count: Int {
        entries.withLock { $0.count }
    }
}
