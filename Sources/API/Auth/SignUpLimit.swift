import Foundation
import TripCore

/// Accounts created per client address in a window, counted in the store; refused and failed sign-ups do
/// not count. Generous, since many honest people can share one carrier's address.
struct SignUpLimit<Store: AttemptStore>: Sendable {
    let store: Store
    /// Accounts allowed per address per window; 0 turns the limit off.
    let allowed: Int

    /// Throws 429 with `Retry-After` when `address` has created `allowed` accounts in the current window.
    func check(address: String) async throws {
        guard allowed > 0 else { return }
        guard let window = try await store.attemptWindows([Self.key(address)], at: .now)[Self.key(address)],
            window.count >= allowed
        else { return }
        let seconds = max(1, Int(window.ends.timeIntervalSinceNow.rounded(.up)))
        throw Problem(.tooManyRequests, "Too many accounts from this address; try again later.", headers: [.retryAfter: "\(seconds)"])
    }

    func count(address: String) async throws {
        guard allowed > 0 else { return }
        try await store.countAttempt([Self.key(address)], window: TimeInterval(Limits.signUpWindowSeconds), at: .now)
    }

    private static func key(_ address: String) -> String { "signup from \(address)" }
}
