import Foundation

/// Bearer tokens, kept by the digest of their secret.
public protocol TokenStore: Sendable {
    /// Keeps the token and revokes the owner's oldest beyond the newest `limit`. Throws `StoreError.unknownOwner`,
    /// and keeps nothing, when the token's owner has no account.
    func saveToken(_ token: AccessToken, keepingNewest limit: Int) async throws
    /// The owner of an unexpired token, or nil.
    func user(tokenDigest: String, at now: Date) async throws -> User?
    /// Deletes the token if it exists.
    func deleteToken(digest: String) async throws
}
