import Crypto
import Foundation

/// Basic credentials as the cache of verified logins knows them: an HMAC under a per-process secret, so
/// that no cache holds anything a client could log in with.
struct Credential: Hashable, Sendable {
    let hmac: Data
}

/// Turns credentials into their `Credential`.
struct CredentialDigester: Sendable {
    private let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }

    func basic(username: String, password: String) -> Credential {
        var message = Data(username.utf8)
        message.append(0)
        message.append(contentsOf: password.utf8)
        return Credential(hmac: Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))))
    }

    /// The SHA-256 of a bearer token in hex: all the store keeps of it.
    static func tokenDigest(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).withUnsafeBytes { String(hexDigitsOf: $0) }
    }
}
