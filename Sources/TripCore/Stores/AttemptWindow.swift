import Foundation

/// Attempts counted against one key, such as failed logins for a username, within a window of time.
public struct AttemptWindow: Hashable, Sendable {
    public let count: Int
    public let ends: Date

    public init(count: Int, ends: Date) {
        self.count = count
        self.ends = ends
    }
}
