import Metrics
import Synchronization

/// The latency and the failures of a store's calls, by operation: `store_call_duration_seconds` and
/// `store_call_failures_total`, each labelled with the store and the operation.
public final class StoreCallMetrics: Sendable {
    private let store: String
    private let instruments = Mutex<[String: (duration: Timer, failures: Counter)]>([:])

    public init(store: String) {
        self.store = store
    }

    /// Runs `body`, timing it and counting its failure under `operation`: a method's `#function`, cut at `(`.
    public func measure<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        let started = ContinuousClock.now
        let (duration, failures) = instruments(for: operation)
        defer { duration.recordInterval(since: started) }
        do {
            return try await body()
        } catch {
            failures.increment()
            throw error
        }
    }

    private func instruments(for function: String) -> (duration: Timer, failures: Counter) {
        instruments.withLock { instruments in
            if let found = instruments[function] { return found }
            let operation = String(function.prefix { $0 != "(" })
            let dimensions = [("store", store), ("operation", operation)]
            let made = (
                Timer(label: "store_call_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds),
                Counter(label: "store_call_failures_total", dimensions: dimensions))
            instruments[function] = made
            return made
        }
    }
}

extension Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
