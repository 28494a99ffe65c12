import Crypto
import Foundation
import Hummingbird
import TripCore

/// Checks HTTP Basic credentials and bearer tokens against the store.
public struct Authenticator<Store: TripStore>: Sendable {
    let store: Store
    let hasher: PasswordHasher
    let cache = CredentialCache()
    let throttle = LoginThrottle()

    public init(store: Store, hasher: PasswordHasher) {
        self.store = store
        self.hasher = hasher
    }

    /// The account's owner if the password matches; bcrypt runs only when the cache has not seen
    /// these credentials verified against the account's current hash. Throws 429 while the name or
    /// the client address has too many recent failures.
    func user(username: String, password: String, from address: String) async throws -> User? {
        if let wait = throttle.refusal(username: username, address: address) {
            let seconds = max(1, wait.components.seconds + (wait.components.attoseconds > 0 ? 1 : 0))
            throw Problem(
                .tooManyRequests, "Too many failed logins; try again later.", headers: [.retryAfter: "\(seconds)"])
        }
        let account = try await store.account(username: username)
        if let account, cache.hasVerified(account.passwordHash, username: username, password: password) {
            return account.user
        }
        guard try await hasher.verify(password, against: account?.passwordHash), let account else {
            throttle.recordFailure(username: username, address: address)
            return nil
        }
        cache.remember(account.passwordHash, username: username, password: password)
        return account.user
    }

    func identity(token: String) async throws -> Identity? {
        let digest = Self.digest(token)
        return try await store.user(tokenDigest: digest, at: .now).map { Identity(user: $0, tokenDigest: digest) }
    }

    /// Issues a random bearer token; only its digest is stored.
    func issueToken(for user: User) async throws -> (token: String, expiresAt: Date) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let expiresAt = Date.storeNow.addingTimeInterval(TimeInterval(Limits.tokenLifetimeSeconds))
        try await store.saveToken(AccessToken(digest: Self.digest(token), owner: user.id, expiresAt: expiresAt))
        return (token, expiresAt)
    }

    private static func digest(_ token: String) -> String {
        Array(SHA256.hash(data: Data(token.utf8))).hexDigits
    }
}
