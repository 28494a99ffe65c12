import Foundation
import Synchronization
import TripCore

/// Failed password checks, counted in the store so that every process on the database shares them: per
/// username and client together, and per username from every client. A check reserves its attempt before
/// bcrypt runs, so concurrent guesses cannot pass the limit together; only failures are written.
final class LoginThrottle<Store: AttemptStore>: Sendable {
    /// What this process knows of a key beyond the store's last answer: attempts under way, and the
    /// failures it recorded itself, which a store read begun before they were written would miss.
    private struct Local {
        var reserved = 0
        var failures = 0
        var windowEnds = Date.distantPast
    }

    private let store: Store
    private let local = Mutex<[String: Local]>([:])

    init(store: Store) {
        self.store = store
    }

    /// Runs `verify` if neither the pair nor the username is over its limit, and counts it if it fails;
    /// otherwise throws 429 with `Retry-After`.
    func check(username: String, address: String, _ verify: () async throws -> Bool) async throws -> Bool {
        let name = username.lowercasedASCII
        let limits = ["login \(name) from \(address)": Limits.failedLoginsPerClient, "login \(name)": Limits.failedLoginsPerUsername]
        let windows = try await store.attemptWindows(Array(limits.keys), at: .now)
        let admission = local.withLock { local -> (admitted: Bool, until: Date?) in
            let now = Date.now
            var refused = false
            var until: Date?
            for (key, limit) in limits {
                let mine = local[key, default: Local()]
                let current = mine.windowEnds > now
                guard max(windows[key]?.count ?? 0, current ? mine.failures : 0) + mine.reserved >= limit else { continue }
                refused = true
                until = [until, windows[key]?.ends, current ? mine.windowEnds : nil].compactMap { $0 }.max()
            }
            guard !refused else { return (false, until) }
            for key in limits.keys { local[key, default: Local()].reserved += 1 }
            return (true, nil)
        }
        guard admission.admitted else {
            SecurityMetrics.throttledLogins.increment()
            throw Self.refusal(until: admission.until)
        }
        let keys = Array(limits.keys)
        let matches: Bool
        do {
            matches = try await verify()
        } catch {
            finish(keys, failed: false)
            throw error
        }
        // A failure is remembered here even when the store cannot record it, so an outage of writes does
        // not lift the limit in this process.
        defer { finish(keys, failed: !matches) }
        if !matches {
            try await store.countAttempt(keys, window: TimeInterval(Limits.failedLoginWindowSeconds), at: .now)
        }
        return matches
    }

    /// Ends a reservation; a failure is remembered until its window ends, then the entry goes.
    private func finish(_ keys: [String], failed: Bool) {
        let now = Date.now
        local.withLock { local in
            for key in keys {
                var entry = local[key, default: Local()]
                entry.reserved -= 1
                if failed {
                    if entry.windowEnds <= now {
                        entry.failures = 0
                        entry.windowEnds = now.addingTimeInterval(TimeInterval(Limits.failedLoginWindowSeconds))
                    }
                    entry.failures += 1
                }
                local[key] = entry.reserved == 0 && entry.windowEnds <= now ? nil : entry
            }
            if local.count > Limits.credentialCacheEntries {
                local = local.filter { $0.value.reserved > 0 || $0.value.windowEnds > now }
            }
        }
    }

    /// 429 until the window ends; a refusal caused only by attempts still under way waits out a whole window.
    private static func refusal(until end: Date?) -> Problem {
        let seconds = end.map { Int($0.timeIntervalSinceNow.rounded(.up)) } ?? Limits.failedLoginWindowSeconds
        return Problem(
            .tooManyRequests, "Too many failed logins for this account; try again later.",
            headers: [.retryAfter: "\(max(1, seconds))"])
    }
}
