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

public struct ChangePage: Hashable, Sendable {
    /// Each changed trip once, in the order of its last change.
    public let changes: [TripChange]
    /// Where the next page, or the next sync once `hasMore` is false, starts.
    public let cursor: ChangeCursor
    public let hasMore: Bool

    public init(changes: [TripChange], cursor: ChangeCursor, hasMore: Bool) {
        self.changes = changes
        self.cursor = cursor
        self.hasMore = hasMore
    }
}
