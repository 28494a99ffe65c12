import Foundation
import TripCore

/// Issues bearer tokens to verified callers and revokes them; the store keeps only a token's digest.
struct TokenIssuer<Store: TokenStore & AttemptStore>: Sendable {
    let store: Store
    /// Tokens issued per account in a window; taken before a token is made, so parallel requests cannot pass it.
    let issues: RateLimit<Store>
    let clock: WallClock

    init(store: Store, clock: WallClock, issues: RateLimit<Store>? = nil) {
        self.store = store
        self.clock = clock
        self.issues =
            issues
            ?? RateLimit(
                store: store, allowed: Limits.tokenIssuesPerMinute, window: 60,
                refusal: "An account is issued at most \(Limits.tokenIssuesPerMinute) tokens a minute.", clock: clock)
    }

    /// A new random token of 256 bits, valid for `Limits.tokenLifetimeSeconds`; the account's oldest past
    /// `Limits.tokensPerAccount` is revoked, and past `issues` none is issued.
    func issue(for user: User) async throws -> (token: String, expiresAt: Date) {
        try await issues.take(.tokenIssues(user.id))
        let token = Base64URL.randomToken()
        let expiresAt = clock.now.addingTimeInterval(TimeInterval(Limits.tokenLifetimeSeconds))
        let digest = CredentialDigester.tokenDigest(token)
        try await store.saveToken(
            AccessToken(digest: digest, owner: user.id, expiresAt: expiresAt), keepingNewest: Limits.tokensPerAccount)
        return (token, expiresAt)
    }

    func revoke(digest: String) async throws {
        try await store.deleteToken(digest: digest)
    }
}
