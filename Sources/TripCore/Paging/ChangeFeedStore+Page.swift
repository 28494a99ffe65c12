import JSON

extension ChangeFeedStore {
    /// Without `since`, the trips the reader may read; with it, each trip created, replaced, deleted, joined or left after
    /// it; either way in the order of each trip's last change, in one page of `budget`. A change committed while
    /// this runs is either in the page or after its cursor; a trip changed again between two reads of one page (when
    /// the store's measure of its trips runs larger than their JSON) is in it twice, the later last. Throws `StoreError.cursorExpired` for a cursor of
    /// another store's feed, from before deletions it would need were purged, or past the reader's last change (a
    /// store restored from a backup).
    public func changePage(reader: OwnerID, since: ChangeCursor?, budget: PageBudget) async throws -> ChangePage {
        let start = since?.position ?? 0
        var feed: Int64 = 0
        var latest: Int64 = 0
        /// Without `since`, deletions of trips the page may hold: those after the first batch's snapshot.
        var deletionsAfter = since?.position ?? .max
        let page = try await budget.fill(
            fetch: { (after: FeedChange?, bound) in
                let from = after?.position ?? start
                let batch = try await changes(reader: reader, after: from, deletionsAfter: deletionsAfter, bound: bound)
                if let since, since.feed != batch.feed || from < batch.purgedThrough || from > batch.latest {
                    throw StoreError.cursorExpired
                }
                (feed, latest) = (batch.feed, batch.latest)
                deletionsAfter = min(deletionsAfter, latest)
                return BoundedRead(items: batch.changes, exhausted: batch.exhausted)
            },
            write: { writer, change in writer.change(change.change) })
        let last = page.items.last?.position ?? start
        return ChangePage(
            changes: page.items.map(\.change), positions: page.items.map(\.position), json: page.json,
            cursor: ChangeCursor(feed: feed, position: page.hasMore ? last : max(last, latest)), hasMore: page.hasMore)
    }
}

extension JSONWriter {
    /// A change as `/changes` lists it: `{"id":…,"trip":{…}}` or `{"deleted":true,"id":…}`.
    public mutating func change(_ change: TripChange) {
        switch change {
        case .saved(let trip):
            raw(#"{"id":"#)
            id(trip.id)
            raw(#","trip":"#)
            self.trip(trip)
            raw("}")
        case .deleted(let id):
            raw(#"{"deleted":true,"id":"#)
            self.id(id)
            raw("}")
        }
    }
}
