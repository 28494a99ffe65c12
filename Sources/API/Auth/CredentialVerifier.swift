import Foundation
import Hummingbird
import TripCore

/// Checks HTTP Basic credentials and bearer tokens against the store on every request, so a logout, a
/// password change or an account deletion on any process takes effect for the very next request.
///
/// Two things save bcrypt runs without weakening that. A Basic password verified against an account's
/// hash is not run through bcrypt again while the stored hash is unchanged and the credentials were used
/// within `Limits.credentialCacheSeconds`; such a login skips the throttle, since a lock refuses guesses,
/// not proven logins. Concurrent requests with the same uncached credentials share one bcrypt run, and
/// so one throttled attempt: an app's first requests in parallel are one login, not many.
/// What checking credentials reads and counts.
public typealias CredentialStore = AccountStore & TokenStore & AttemptStore

public struct CredentialVerifier<Store: CredentialStore>: Sendable {
    let store: Store
    let hasher: PasswordHasher
    let clock: WallClock
    let throttle: LoginThrottle<Store>
    private let digester = CredentialDigester()
    private let verifiedHashes = ExpiringCache<Credential, String>(
        lifetime: .seconds(Limits.credentialCacheSeconds), capacity: Limits.credentialCacheEntries)
    private let verifications = VerificationsInFlight()

    public init(store: Store, hasher: PasswordHasher, clock: WallClock) {
        self.store = store
        self.hasher = hasher
        self.clock = clock
        throttle = LoginThrottle(store: store, clock: clock)
    }

    /// The account if the password matches. Throws 403 for a disabled account, whatever the password; 429 while the username has too many recent
    /// failures, from this client or from all; a name that cannot exist fails before bcrypt and any count, and
    /// so does an account whose stored hash bcrypt must not run (503, logged).
    func account(username: String, password: String, from address: String) async throws -> Account? {
        guard UsernameRule.allows(username) else { return nil }
        let credential = digester.basic(username: username, password: password)
        let account = try await store.account(username: username)
        // Refused before bcrypt and any count: no password of a disabled account is checked, so none is learned.
        if let account, account.user.isDisabled { throw Problem.accountDisabled }
        if let account, let flaw = BcryptHash.flaw(account.passwordHash) {
            throw UnusablePasswordHash(flaw: flaw, owner: account.user.id)
        }
        if let account, verifiedHashes[credential] == account.passwordHash {
            SecurityMetrics.cacheHits.increment()
            verifiedHashes.set(account.passwordHash, for: credential)
            return account
        }
        SecurityMetrics.cacheMisses.increment()
        let matches = try await verifications.run(credential, hash: account?.passwordHash) { [throttle, hasher] in
            try await throttle.check(username: username, address: address) {
                try await hasher.verify(password, against: account?.passwordHash)
            }
        }
        guard matches, let account else { return nil }
        verifiedHashes.set(account.passwordHash, for: credential)
        return account
    }

    func identity(token: String) async throws -> Identity? {
        let digest = CredentialDigester.tokenDigest(token)
        guard let user = try await store.user(tokenDigest: digest, at: clock.now) else { return nil }
        if user.isDisabled { throw Problem.accountDisabled }
        return Identity(user: user, proof: .token(digest: digest))
    }
}
