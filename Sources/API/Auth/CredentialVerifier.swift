import Foundation
import Hummingbird
import TripCore

/// Checks HTTP Basic credentials and bearer tokens against the store, and forgets them when they are revoked.
///
/// Three things save work. A Basic password verified against an account's hash is not run through bcrypt
/// again while the stored hash is unchanged and the credentials were used within
/// `Limits.credentialCacheSeconds`. Concurrent requests with the same uncached credentials share one
/// bcrypt run instead of queueing one each. A read (GET or HEAD) may
/// trust a caller this process authenticated within `recentCallerLifetime` without asking the store;
/// a write always asks. Logout and account deletion take effect at once in the process that served
/// them, and within `recentCallerLifetime` for reads on every other process on the same database.
public struct CredentialVerifier<Store: TripStore>: Sendable {
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

    /// Stops trusting a revoked credential in this process at once.
    func forget(_ credential: Credential) {
        recentCallers.remove(credential)
    }

    /// Stops trusting any credential of a deleted account in this process at once.
    func forgetCallers(of owner: OwnerID) {
        recentCallers.removeAll { $0.id == owner }
    }
}
