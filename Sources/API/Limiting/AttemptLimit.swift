import Foundation
import TripCore

/// At most `allowed` attempts per key in each window, counted in the store before each is decided: every process on
/// the database shares the count, and since each attempt gets a count of its own, concurrent ones cannot pass the
/// limit together. A refused attempt is counted too; it moves no window's end.
struct AttemptLimit<Store: AttemptStore>: Sendable {
    let store: Store
    let allowed: Int
    let window: TimeInterval
    let now: @Sendable () -> Date

    init(store: Store, allowed: Int, window: TimeInterval, now: @escaping @Sendable () -> Date = { .now }) {
        self.store = store
        self.allowed = allowed
        self.window = window
        self.now = now
    }

    /// Counts one attempt against `key`; throws 429 saying `refusal`, with `Retry-After`, when it is past `allowed`.
    /// An `allowed` of 0 admits everything and counts nothing.
    func admit(_ key: String, refusal: @autoclosure () -> String) async throws {
        guard allowed > 0 else { return }
        let now = now()
        guard let counted = try await store.countAttempt([key], window: window, at: now)[key] else {
            throw StoreError.unavailable
        }
        guard counted.count > allowed else { return }
        let seconds = max(1, Int(counted.ends.timeIntervalSince(now).rounded(.up)))
        throw Problem(.tooManyRequests, refusal(), headers: [.retryAfter: "\(seconds)"])
    }
}
