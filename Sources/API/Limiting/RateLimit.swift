import Foundation
import TripCore

/// At most `allowed` attempts per key in each window of `window` seconds, taken from the store before each attempt is
/// made, in one atomic step that counts and compares: every process on the database shares the count, and parallel
/// attempts cannot pass the limit together. A refused attempt takes nothing; one that turns out not to count is given
/// back. Used for failed logins, sign-ups, token issues and trip creations.
struct RateLimit<Store: AttemptStore>: Sendable {
    /// One attempt taken, to give back if it turns out not to count.
    struct Taken: Sendable {
        fileprivate let key: AttemptKey
        fileprivate let windowEnds: Date?
    }

    let store: Store
    /// Attempts per key per window; 0 turns the limit off.
    let allowed: Int
    let window: TimeInterval
    /// What a refusal says.
    let refusal: String
    let clock: WallClock

    init(store: Store, allowed: Int, window: TimeInterval, refusal: String, clock: WallClock) {
        self.store = store
        self.allowed = allowed
        self.window = window
        self.refusal = refusal
        self.clock = clock
    }

    /// Takes one attempt for `key`; throws 429 with `Retry-After`, the seconds until the window ends, when it is full.
    @discardableResult
    func take(_ key: AttemptKey) async throws -> Taken {
        guard allowed > 0 else { return Taken(key: key, windowEnds: nil) }
        let now = clock.now
        switch try await store.takeAttempt(key, limit: allowed, window: window, at: now) {
        case .granted(let window):
            return Taken(key: key, windowEnds: window.ends)
        case .refused(let window):
            // Measured when answering, not when asking: another request may have opened the window while this one
            // waited for the store, and a wait is never longer than one window.
            let remaining = window.ends.timeIntervalSince(clock.now)
            let seconds = min(Int(self.window.rounded(.up)), max(1, Int(remaining.rounded(.up))))
            throw Problem(.tooManyRequests, refusal, headers: [.retryAfter: "\(seconds)"])
        }
    }

    func giveBack(_ taken: Taken) async throws {
        guard let ends = taken.windowEnds else { return }
        try await store.giveBackAttempt(taken.key, window: ends)
    }

    /// Runs `attempt` with one attempt taken for `key`, and gives it back when `attempt` throws or `counts` says its
    /// result does not count.
    func spending<T>(_ key: AttemptKey, counts: (T) -> Bool = { _ in true }, _ attempt: () async throws -> T) async throws -> T {
        let taken = try await take(key)
        let result: T
        do {
            result = try await attempt()
        } catch {
            // The attempt's error is the one to answer with; one not given back only counts against the limit.
            try? await giveBack(taken)
            throw error
        }
        if !counts(result) { try await giveBack(taken) }
        return result
    }
}
