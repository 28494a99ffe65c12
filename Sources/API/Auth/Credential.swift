import Crypto
import Foundation

/// A credential as the caches know it: a bearer token's digest, or an HMAC of Basic credentials under a
/// per-process secret, so that no cache holds anything a client could log in with.
enum Credential: Hashable, Sendable {
    case bearer(digest: String)
    case basic(hmac: Data)
}

/// Turns credentials into their `Credential`.
struct CredentialDigester: Sendable {
    private let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }

    func basic(username: String, password: String) -> Credential {
        var message = Data(username.utf8)
        message.append(0)
        message.append(contentsOf: password.utf8)
        return .basic(hmac: Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))))
    }

    /// The SHA-256 of a bearer token in hex: all the store keeps of it.
    static func tokenDigest(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).withUnsafeBytes { String(hexDigitsOf: $0) }
    }
}
