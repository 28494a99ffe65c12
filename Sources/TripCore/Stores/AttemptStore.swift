import Foundation

/// Attempts counted per key in windows of time, shared by every process on the database.
public protocol AttemptStore: Sendable {
    /// The unexpired window of each key that has one.
    func attemptWindows(_ keys: [String], at now: Date) async throws -> [String: AttemptWindow]
    /// Counts one attempt against each key: in its unexpired window, or in a new one of `length` from now. Returns each
    /// key's window with this attempt counted; of concurrent calls, each sees a different count.
    @discardableResult
    func countAttempt(_ keys: [String], window length: TimeInterval, at now: Date) async throws -> [String: AttemptWindow]
}
