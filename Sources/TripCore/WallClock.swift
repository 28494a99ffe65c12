import Foundation

/// Where every time the server stamps or compares comes from: the system's clock, or a test's.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    public static let system = WallClock { Date.now }

    /// Now, to the millisecond: the precision every store keeps.
    public var now: Date { Date(milliseconds: read().milliseconds) }
}
