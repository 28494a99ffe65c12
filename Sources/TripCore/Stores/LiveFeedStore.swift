import Foundation

/// What a process holding live change streams reads, for all of them at once, several times a second: whose feeds
/// moved, and whose credentials no longer hold.
public protocol LiveFeedStore: Sendable {
    /// In one call, each of `readers` that still has an account, and which of `tokenDigests` name a token unexpired at
    /// `now`. A reader without an account is missing from the answer.
    func liveFeedState(readers: [OwnerID], tokenDigests: [String], at now: Date) async throws -> LiveFeedState
}

public struct LiveFeedState: Sendable, Equatable {
    public var readers: [OwnerID: ReaderStanding]
    public var liveTokens: Set<String>

    public init(readers: [OwnerID: ReaderStanding], liveTokens: Set<String>) {
        self.readers = readers
        self.liveTokens = liveTokens
    }
}

/// One reader's account as a live stream checks it: where their feed ends, and what their Basic credentials are.
public struct ReaderStanding: Sendable, Equatable {
    /// The position of the reader's last change, as `ChangeBatch.latest` gives it.
    public var latest: Int64
    public var passwordHash: String
    public var isDisabled: Bool

    public init(latest: Int64, passwordHash: String, isDisabled: Bool) {
        self.latest = latest
        self.passwordHash = passwordHash
        self.isDisabled = isDisabled
    }
}
