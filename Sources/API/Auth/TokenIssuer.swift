import Foundation
import TripCore

/// Issues bearer tokens to verified callers and revokes them; the store keeps only a token's digest.
struct TokenIssuer<Store: TripStore>: Sendable {
    let store: Store

    /// A new random token of 256 bits, valid for `Limits.tokenLifetimeSeconds`.
    func issue(for user: User) async throws -> (token: String, expiresAt: Date) {
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

    func revoke(digest: String) async throws {
        try await store.deleteToken(digest: digest)
    }
}
