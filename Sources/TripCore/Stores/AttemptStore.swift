import Foundation

/// Attempts counted per key in windows of time, shared by every process on the database. Whether an attempt fits is
/// decided by the store in the same atomic step that counts it, since only the database can; how many fit, how long a
/// window lasts and what a refusal says are the API's `RateLimit`.
public protocol AttemptStore: Sendable {
    /// Takes one attempt from `key`'s unexpired window if fewer than `limit` (at least 1) are counted in it, or starts
    /// a new window of `length` from `now` with it when there is none. Count and comparison are one atomic step, so of
    /// concurrent takes against a window exactly as many are granted as it has room for.
    func takeAttempt(_ key: AttemptKey, limit: Int, window length: TimeInterval, at now: Date) async throws -> AttemptTake
    /// Gives back one attempt taken from `key`'s window that ends at `ends`; nothing once that window has ended or been
    /// replaced. A window whose every attempt is given back goes, so the next take starts a new one.
    func giveBackAttempt(_ key: AttemptKey, window ends: Date) async throws
}
