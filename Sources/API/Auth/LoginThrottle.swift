import Foundation
import TripCore

/// Failed password checks, counted in the store so that every process on the database shares them: per username and
/// client together, and per username from every client. A check takes its attempt from both windows before bcrypt
/// runs and gives them back when the password matches, so only failures count, concurrent guesses on any process
/// cannot pass the limit together, and no password is checked while the store cannot count it.
struct LoginThrottle<Store: AttemptStore>: Sendable {
    let perClient: RateLimit<Store>
    let perUsername: RateLimit<Store>

    init(store: Store, clock: WallClock) {
        let refusal = "Too many failed logins for this account; try again later."
        let window = TimeInterval(Limits.failedLoginWindowSeconds)
        perClient = RateLimit(store: store, allowed: Limits.failedLoginsPerClient, window: window, refusal: refusal, clock: clock)
        perUsername = RateLimit(store: store, allowed: Limits.failedLoginsPerUsername, window: window, refusal: refusal, clock: clock)
    }

    /// Runs `verify` if neither the pair nor the username is at its limit, counting it unless it matches; otherwise
    /// throws 429 with `Retry-After`.
    func check(username: String, address: String, _ verify: () async throws -> Bool) async throws -> Bool {
        let failed: (Bool) -> Bool = { matches in !matches }
        do {
            return try await perClient.spending(.failedLogins(username: username, from: address), counts: failed) {
                try await perUsername.spending(.failedLoginsEverywhere(username: username), counts: failed, verify)
            }
        } catch let problem as Problem where problem.status == .tooManyRequests {
            SecurityMetrics.throttledLogins.increment()
            throw problem
        }
    }
}
