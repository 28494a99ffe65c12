import TripCore

/// Who a request was authenticated as, and how.
public struct Identity: Sendable {
    public let user: User
    public let proof: Proof

    /// What a request's credentials were checked against; a live stream stays open only while it holds.
    public enum Proof: Sendable, Hashable {
        /// HTTP Basic: the account's password hash the password matched.
        case password(hash: String)
        /// A bearer token, by the digest the store keeps.
        case token(digest: String)
    }

    public var tokenDigest: String? {
        if case .token(let digest) = proof { digest } else { nil }
    }
}
