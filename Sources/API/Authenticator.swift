import Crypto
import Foundation
import Hummingbird
import TripCore

/// Checks HTTP Basic credentials and bearer tokens against the store.
public struct Authenticator<Store: TripStore>: Sendable {
    let store: Store
    let hasher: PasswordHasher
    let cache = CredentialCache()

    public init(store: Store, hasher: PasswordHasher) {
        self.store = store
        self.hasher = hasher
    }

    /// The account's owner if the password matches; bcrypt runs only when the cache has not seen
    /// these credentials verified against the account's current hash.
    func user(username: String, password: String) async throws -> User? {
        let account = try await store.account(username: username)
        if let account, cache.hasVerified(account.passwordHash, username: username, password: password) {
            return account.user
        }
        guard try await hasher.verify(password, against: account?.passwordHash), let account else { return nil }
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
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
