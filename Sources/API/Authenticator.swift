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

    func user(username: String, password: String) async throws -> User? {
        if let user = cache.user(username: username, password: password) { return user }
        let account = try await store.account(username: username)
        guard try await hasher.verify(password, against: account?.passwordHash), let user = account?.user else {
            return nil
        }
        cache.remember(user, username: username, password: password)
        return user
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

    func forget(_ owner: OwnerID) {
        cache.forget(owner)
    }

    private static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
