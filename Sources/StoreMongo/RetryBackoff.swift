import Synchronization

/// Waits between attempts of a transaction or of its commit: each a random share of a ceiling that doubles from
/// `first` up to `most`, so that writers that clashed once do not clash again in step.
struct RetryBackoff {
    private var ceiling: Duration
    private let most: Duration

    init(first: Duration = .milliseconds(1), most: Duration = .milliseconds(50)) {
        ceiling = first
        self.most = most
    }

    mutating func next() -> Duration {
        let wait = ceiling * Double.random(in: 0...1)
        ceiling = min(ceiling * 2, most)
        return wait
    }
}

/// How long a transaction may keep trying: the time its attempts run on a thread and wait between them, not the time
/// they queue for a thread, which the store's bound on pending calls limits; so a busy pool does not spend it.
final class TransactionPatience: Sendable {
    private let left: Mutex<Duration>

    init(_ total: Duration) {
        left = Mutex(total)
    }

    /// Runs one attempt, spending its time.
    func spending<T>(_ attempt: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        defer { left.withLock { $0 -= .now - start } }
        return try attempt()
    }

    /// When the patience left from now runs out.
    var deadline: ContinuousClock.Instant {
        .now + left.withLock { $0 }
    }

    /// Spends `wait`, or what is left of the patience if less; nil once none is left.
    func spend(_ wait: Duration) -> Duration? {
        left.withLock { left in
            guard left > .zero else { return nil }
            let spent = min(wait, left)
            left -= spent
            return spent
        }
    }
}
