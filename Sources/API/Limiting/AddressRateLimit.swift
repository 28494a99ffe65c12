import Foundation
import Synchronization

/// At most `allowed` requests per client address in each window, counted in this process only: cheap enough to run
/// before a request costs anything. An IPv6 address counts with the rest of its /64, the block one subscriber is given. All addresses share one window, which starts when the last one ends; past
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
        let address = Self.key(address)
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

    /// The address an IPv4 client is counted under, or the /64 of an IPv6 one (an IPv4-mapped one as its IPv4).
    static func key(_ address: String) -> String {
        var parsed = in6_addr()
        guard address.contains(":"), inet_pton(AF_INET6, address, &parsed) == 1 else { return address }
        let bytes = withUnsafeBytes(of: parsed) { Array($0) }
        if bytes.prefix(10).allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return bytes.suffix(4).map(String.init).joined(separator: ".")
        }
        return bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: ":") + "::/64"
    }
}
