import Foundation
import Synchronization
import TripCore

/// A clock that stands still until a test moves it, so that expiry is tested without waiting.
final class ManualClock: Sendable {
    private let time: Mutex<Date>

    /// Starts at `start`, to the millisecond as stores keep it.
    init(_ start: Date = .storeNow) {
        time = Mutex(Date(milliseconds: start.milliseconds))
    }

    var now: Date { time.withLock { $0 } }

    func set(_ date: Date) {
        time.withLock { $0 = date }
    }

    func advance(by interval: TimeInterval) {
        time.withLock { $0.addTimeInterval(interval) }
    }

    /// This clock, as the server and the stores take one.
    var wallClock: WallClock { WallClock { [self] in now } }
}

extension Date {
    /// The system's time to the millisecond, for fixtures that need no clock of their own.
    static var storeNow: Date { WallClock.system.now }
}
