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
    /// The feed's position just after each change, so that a page can end after any of them.
    public let positions: [Int64]
    /// Where the next page, or the next sync once `hasMore` is false, starts.
    public let cursor: ChangeCursor
    public let hasMore: Bool

    public init(changes: [TripChange], positions: [Int64], cursor: ChangeCursor, hasMore: Bool) {
        precondition(changes.count == positions.count, "a position for each change")
        self.changes = changes
        self.positions = positions
        self.cursor = cursor
        self.hasMore = hasMore
    }

    /// The first `count` changes, with more to follow them.
    public func prefix(_ count: Int) -> ChangePage {
        guard count < changes.count, count > 0 else { return self }
        return ChangePage(
            changes: Array(changes.prefix(count)), positions: Array(positions.prefix(count)),
            cursor: ChangeCursor(feed: cursor.feed, position: positions[count - 1]), hasMore: true)
    }
}
