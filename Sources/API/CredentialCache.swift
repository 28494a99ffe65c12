import Crypto
import Foundation
import Synchronization

/// Remembers, for a short time, which password hash a username and password were last verified against,
/// keyed by an HMAC of the credentials, so that clients sending Basic on every request pay bcrypt once.
/// The caller still reads the account on every request: a deleted account or a changed hash misses at once,
/// in this process or any other. Safe to lose: it only saves work.
final class CredentialCache: Sendable {
    private struct Entry {
        let passwordHash: String
        let expires: ContinuousClock.Instant
    }

    private let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    private let lifetime: Duration
    private let capacity: Int
    private let entries = Mutex<[Data: Entry]>([:])

    init(lifetime: Duration = .seconds(Limits.credentialCacheSeconds), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Whether these credentials were verified against `passwordHash` within the lifetime.
    func hasVerified(_ passwordHash: String, username: String, password: String) -> Bool {
        let key = cacheKey(username, password)
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[key], entry.expires > now else { return false }
            return entry.passwordHash == passwordHash
        }
    }

    func remember(_ passwordHash: String, username: String, password: String) {
        let key = cacheKey(username, password)
        let now = ContinuousClock.now
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity { entries.removeAll() }
            }
            entries[key] = Entry(passwordHash: passwordHash, expires: now + lifetime)
        }
    }

    private func cacheKey(_ username: String, _ password: String) -> Data {
        var message = Data(username.utf8)
        message.append(0)
        message.append(contentsOf: password.utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
    }
}
