import Synchronization

/// The most connections served at once, kept below the descriptor limit so the process never runs out of descriptors.
public final class ConnectionCap: Sendable {
    public let maximum: Int
    private let open = Atomic<Int>(0)
    private let full = Atomic<Bool>(false)

    public init(maximum: Int) {
        self.maximum = maximum
    }

    /// Counts a new connection unless `maximum` are already open; `newlyFull` marks the first refusal since the last
    /// admission, so that a full server logs once rather than once per refused connection.
    func admit() -> (admitted: Bool, newlyFull: Bool) {
        if open.wrappingAdd(1, ordering: .relaxed).oldValue < maximum {
            full.store(false, ordering: .relaxed)
            return (true, false)
        }
        open.wrappingSubtract(1, ordering: .relaxed)
        return (false, !full.exchange(true, ordering: .relaxed))
    }

    func release() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }
}
