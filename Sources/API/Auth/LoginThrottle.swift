import Synchronization

/// Counts failed password checks per username and per client address; after `Limits.failedLoginsAllowed`
/// failures within `Limits.failedLoginWindow`, further attempts for that name or from that address are refused
/// until the window passes, right password or not. Kept in memory: each process counts on its own.
final class LoginThrottle: Sendable {
    private struct Window {
        var failures: Int
        let ends: ContinuousClock.Instant
    }

    private let allowed: Int
    private let window: Duration
    private let windows = Mutex<[String: Window]>([:])

    init(allowed: Int = Limits.failedLoginsAllowed, window: Duration = Limits.failedLoginWindow) {
        self.allowed = allowed
        self.window = window
    }

    /// How long attempts for `username` from `address` are still refused, or nil when they may proceed.
    func refusal(username: String, address: String, now: ContinuousClock.Instant = .now) -> Duration? {
        windows.withLock { windows in
            [Self.key(username: username), Self.key(address: address)].compactMap { key -> Duration? in
                guard let current = windows[key], current.ends > now, current.failures >= allowed else { return nil }
                return current.ends - now
            }.max()
        }
    }

    func recordFailure(username: String, address: String, now: ContinuousClock.Instant = .now) {
        windows.withLock { windows in
            if windows.count > 100_000 { windows = windows.filter { $0.value.ends > now } }
            for key in [Self.key(username: username), Self.key(address: address)] {
                if let current = windows[key], current.ends > now {
                    windows[key]?.failures = current.failures + 1
                } else {
                    windows[key] = Window(failures: 1, ends: now + window)
                }
            }
        }
    }

    private static func key(username: String) -> String { "user " + username }
    private static func key(address: String) -> String { "address " + address }
}
