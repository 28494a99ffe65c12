/// A place in one store's change feed: which feed, and the last change a client has seen.
public struct ChangeCursor: Hashable, Sendable {
    /// Tells one store's feed from another's, so that a cursor from elsewhere is refused rather than misread.
    public let feed: Int64
    public let position: Int64

    public init(feed: Int64, position: Int64) {
        self.feed = feed
        self.position = position
    }
}

/// One trip's latest change: the trip as it is now, or the fact of its deletion.
public enum TripChange: Hashable, Sendable {
    case saved(Trip)
    case deleted(TripID)
}

/// A trip's latest change at its place in its owner's feed.
public struct FeedChange: Hashable, Sendable {
    public let position: Int64
    public let change: TripChange

    public init(position: Int64, change: TripChange) {
        self.position = position
        self.change = change
    }
}

/// What one snapshot of a store holds of an owner's feed: the changes asked for, and the counters that say which
/// cursors it can still answer.
public struct ChangeBatch: Sendable {
    public let feed: Int64
    /// Deletions at or before this position were purged.
    public let purgedThrough: Int64
    /// The position of the owner's last change.
    public let latest: Int64
    public let changes: [FeedChange]
    /// No change follows the last of `changes`.
    public let exhausted: Bool

    public init(feed: Int64, purgedThrough: Int64, latest: Int64, read: BoundedRead<FeedChange>) {
        self.feed = feed
        self.purgedThrough = purgedThrough
        self.latest = latest
        self.changes = read.items
        self.exhausted = read.exhausted
    }
}

public struct ChangePage: Hashable, Sendable {
    /// Each changed trip once, in the order of its last change.
    public let changes: [TripChange]
    /// The feed's position just after each change.
    public let positions: [Int64]
    /// The changes as JSON, comma-separated, as the page's byte budget measured them.
    public let json: [UInt8]
    /// Where the next page, or the next sync once `hasMore` is false, starts.
    public let cursor: ChangeCursor
    public let hasMore: Bool
}
