import Foundation
import TripCore

/// Issues bearer tokens to verified callers and revokes them; the store keeps only a token's digest.
struct TokenIssuer<Store: TripStore>: Sendable {
    let store: Store

    /// A new random token of 256 bits, valid for `Limits.tokenLifetimeSeconds`; the account's oldest past
    /// `Limits.tokensPerAccount` is revoked, and past `Limits.tokenIssuesPerMinute` none is issued.
    func issue(for user: User) async throws -> (token: String, expiresAt: Date) {
        let key = "tokens for \(user.id)"
        if let window = try await store.attemptWindows([key], at: .now)[key], window.count >= Limits.tokenIssuesPerMinute {
            let seconds = max(1, Int(window.ends.timeIntervalSinceNow.rounded(.up)))
            throw Problem(
                .tooManyRequests, "An account is issued at most \(Limits.tokenIssuesPerMinute) tokens a minute.",
                headers: [.retryAfter: "\(seconds)"])
        }
        try await store.countAttempt([key], window: 60, at: .now)
        let token = Base64URL.randomToken()
        let expiresAt = Date.storeNow.addingTimeInterval(TimeInterval(Limits.tokenLifetimeSeconds))
        let digest = CredentialDigester.tokenDigest(token)
        try await store.saveToken(
            AccessToken(digest: digest, owner: user.id, expiresAt: expiresAt), keepingNewest: Limits.tokensPerAccount)
        return (token, expiresAt)
    }

    func revoke(digest: String) async throws {
        try await store.deleteToken(digest: digest)
    }
}
