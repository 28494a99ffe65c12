import Synchronization

/// The bytes of events all live streams of a process hold for their readers, against a limit: past it, the stream
/// that sends the next event is closed as a slow reader, so that many unread streams cannot hold memory without bound.
final class UnsentBudget: Sendable {
    let limit: Int
    private let held = Atomic(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts `bytes` more held (or fewer, when negative); returns whether the total is still within the limit.
    @discardableResult
    func add(_ bytes: Int) -> Bool {
        held.add(bytes, ordering: .relaxed).newValue <= limit
    }

    var bytes: Int { held.load(ordering: .relaxed) }
}
