import Crypto
import Foundation
import Synchronization
import TripCore

/// Remembers recent successful Basic logins for a short time, keyed by an HMAC of the credentials,
/// so that clients sending Basic on every request pay bcrypt once. Safe to lose: it only saves work.
final class CredentialCache: Sendable {
    private struct Entry {
        let user: User
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

    func user(username: String, password: String) -> User? {
        let key = cacheKey(username, password)
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now else {
                entries[key] = nil
                return nil
            }
            return entry.user
        }
    }

    func remember(_ user: User, username: String, password: String) {
        let key = cacheKey(username, password)
        let now = ContinuousClock.now
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity { entries.removeAll() }
            }
            entries[key] = Entry(user: user, expires: now + lifetime)
        }
    }

    func forget(_ owner: OwnerID) {
        entries.withLock { entries in entries = entries.filter { $0.value.user.id != owner } }
    }

    private func cacheKey(_ username: String, _ password: String) -> Data {
        var message = Data(username.utf8)
        message.append(0)
        message.append(contentsOf: password.utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
    }
}
