import Foundation
import Hummingbird
import Synchronization
import TripCore

/// Checks HTTP Basic credentials and bearer tokens against the store.
///
/// Three things save work. A Basic password verified against an account's hash is not run through bcrypt
/// again while the stored hash is unchanged and the credentials were used within
/// `Limits.credentialCacheSeconds`. Concurrent requests with the same uncached credentials share one
/// bcrypt run instead of queueing one each. A read (GET or HEAD) may
/// trust a caller this process authenticated within `recentCallerLifetime` without asking the store;
/// a write always asks. Logout and account deletion take effect at once in the process that served
/// them, and within `recentCallerLifetime` for reads on every other process on the same database.
public struct Authenticator<Store: TripStore>: Sendable {
    let store: Store
    let hasher: PasswordHasher
    let throttle = LoginThrottle()
    private let digester = CredentialDigester()
    private let verifiedHashes = ExpiringCache<Credential, String>(lifetime: .seconds(Limits.credentialCacheSeconds))
    private let recentCallers: ExpiringCache<Credential, User>
    private let verifications = VerificationsInFlight()

    public init(store: Store, hasher: PasswordHasher, recentCallerLifetime: Duration = Limits.recentCallerLifetime) {
        self.store = store
        self.hasher = hasher
        recentCallers = ExpiringCache(lifetime: recentCallerLifetime)
    }

    /// The account's owner if the password matches. Throws 429 while the name or the client address has
    /// too many recent failures.
    func user(username: String, password: String, from address: String, trustingRecent: Bool) async throws -> User? {
        if let wait = throttle.refusal(username: username, address: address) {
            let seconds = max(1, wait.components.seconds + (wait.components.attoseconds > 0 ? 1 : 0))
            throw Problem(
                .tooManyRequests, "Too many failed logins; try again later.", headers: [.retryAfter: "\(seconds)"])
        }
        let credential = digester.basic(username: username, password: password)
        if trustingRecent, let user = recentCallers[credential] { return user }
        let account = try await store.account(username: username)
        if let account, verifiedHashes[credential] == account.passwordHash {
            verifiedHashes.set(account.passwordHash, for: credential)
            recentCallers.set(account.user, for: credential)
            return account.user
        }
        let matches = try await verifications.run(credential, hash: account?.passwordHash) { [hasher] in
            try await hasher.verify(password, against: account?.passwordHash)
        }
        guard matches, let account else {
            throttle.recordFailure(username: username, address: address)
            return nil
        }
        verifiedHashes.set(account.passwordHash, for: credential)
        recentCallers.set(account.user, for: credential)
        return account.user
    }

    func identity(token: String, trustingRecent: Bool) async throws -> Identity? {
        let digest = CredentialDigester.tokenDigest(token)
        let credential = Credential.bearer(digest: digest)
        if trustingRecent, let user = recentCallers[credential] { return Identity(user: user, tokenDigest: digest) }
        guard let user = try await store.user(tokenDigest: digest, at: .now) else {
            recentCallers.remove(credential)
            return nil
        }
        recentCallers.set(user, for: credential)
        return Identity(user: user, tokenDigest: digest)
    }

    /// Issues a random bearer token; only its digest is stored.
    func issueToken(for user: User) async throws -> (token: String, expiresAt: Date) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let expiresAt = Date.storeNow.addingTimeInterval(TimeInterval(Limits.tokenLifetimeSeconds))
        let digest = CredentialDigester.tokenDigest(token)
        try await store.saveToken(AccessToken(digest: digest, owner: user.id, expiresAt: expiresAt))
        return (token, expiresAt)
    }

    func revokeToken(digest: String) async throws {
        try await store.deleteToken(digest: digest)
        recentCallers.remove(.bearer(digest: digest))
    }

    func deleteUser(_ id: OwnerID) async throws {
        try await store.deleteUser(id)
        recentCallers.removeAll { $0.id == id }
    }
}

/// bcrypt runs under way, so that requests presenting the same credentials at once share one.
final class VerificationsInFlight: Sendable {
    private struct Key: Hashable {
        let credential: Credential
        let hash: String?
    }

    private let running = Mutex<[Key: Task<Bool, any Error>]>([:])

    func run(
        _ credential: Credential, hash: String?, _ verify: @escaping @Sendable () async throws -> Bool
    ) async throws -> Bool {
        let key = Key(credential: credential, hash: hash)
        let task = running.withLock { running in
            if let task = running[key] { return task }
            let task = Task { try await verify() }
            running[key] = task
            return task
        }
        defer { running.withLock { if $0[key] == task { $0[key] = nil } } }
        return try await task.value
    }
}
