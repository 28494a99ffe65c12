import Foundation
import Synchronization

/// At most `allowed` requests per client address in each window, counted in this process only: cheap enough to run
/// before a request costs anything. All addresses share one window, which starts when the last one ends; past
/// `addresses` distinct ones in a window, new ones go uncounted rather than refused, so memory stays bounded.
final class AddressRateLimit: Sendable {
    private struct Window {
        var ends = Date.distantPast
        var counts: [String: Int] = [:]
    }

    private let allowed: Int
    private let length: TimeInterval
    private let addresses: Int
    private let now: @Sendable () -> Date
    private let window = Mutex(Window())

    init(allowed: Int, window length: TimeInterval, addresses: Int, now: @escaping @Sendable () -> Date = { .now }) {
        self.allowed = allowed
        self.length = length
        self.addresses = addresses
        self.now = now
    }

    /// Counts a request from `address`; throws 429 with `Retry-After` once the address is past `allowed`. An `allowed`
    /// of 0 admits everything.
    func admit(_ address: String, refusal: String) throws(Problem) {
        guard allowed > 0 else { return }
        let now = now()
        let refusedFor: Int? = window.withLock { window in
            if window.ends <= now { window = Window(ends: now.addingTimeInterval(length)) }
            guard let count = window.counts[address] ?? (window.counts.count < addresses ? 0 : nil) else { return nil }
            guard count < allowed else { return max(1, Int(window.ends.timeIntervalSince(now).rounded(.up))) }
            window.counts[address] = count + 1
            return nil
        }
        if let refusedFor { throw Problem(.tooManyRequests, refusal, headers: [.retryAfter: "\(refusedFor)"]) }
    }
}
