import Foundation
import GRDB
import TripCore

/// The feed is `tripChange`, one row per trip kept at the trip's last change by triggers on `trip` and, for a deletion,
/// by `deleteTrip`, which stamps the tombstone with the store's clock. A trigger numbers each account's changes from
/// its own `changeSeq`, so a cursor counts only its owner's changes; SQLite has one writer at a time, so the numbers
/// are the order of commits: a snapshot that holds a change holds every change before it.
extension SQLiteTripStore {
    public func changes(owner: OwnerID, since: ChangeCursor?, limit: Int, byteBudget: Int) async throws -> ChangePage {
        try await readingSnapshot { db in
            let feedID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM changeFeed"))!
            let counters = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT changeSeq, purgedThrough FROM user WHERE id = ?"), arguments: [owner.description])
            let (latest, purgedThrough): (Int64, Int64) = counters.map { ($0[0], $0[1]) } ?? (0, 0)
            if let since, since.feed != feedID || !(purgedThrough...latest).contains(since.position) {
                throw StoreError.cursorExpired
            }
            let page = try db.cachedStatement(sql: """
                SELECT \(TripRow.columns(of: "trip")), tripChange.position, tripChange.tripId, tripChange.deletedAt
                FROM tripChange LEFT JOIN trip ON trip.id = tripChange.tripId
                WHERE tripChange.ownerId = ?1 AND tripChange.position > ?2 AND (?3 OR tripChange.deletedAt IS NULL)
                ORDER BY tripChange.position LIMIT ?4
                """)
            let rows = try Row.fetchCursor(page, arguments: [owner.description, since?.position ?? 0, since != nil, limit + 1])
            var changes: [TripChange] = []
            var positions: [Int64] = []
            var position = since?.position ?? 0
            var bytes = 0
            while changes.count < limit, bytes <= byteBudget, let row = try rows.next() {
                position = row[7]
                positions.append(position)
                if row[9] as Int64? != nil {
                    let id: IDColumn = try row.decode(IDColumn.self, atIndex: 8)
                    changes.append(.deleted(TripID(id.objectID)))
                } else {
                    let trip = try TripRow(row: row)
                    changes.append(.saved(try trip.trip))
                    bytes += trip.name.utf8.count + trip.waypoints.count
                }
            }
            let hasMore = try rows.next() != nil
            if !hasMore { position = max(position, latest) }
            return ChangePage(changes: changes, positions: positions, cursor: ChangeCursor(feed: feedID, position: position), hasMore: hasMore)
        }
    }

    public func purgeTombstones(deletedBefore date: Date) async throws -> Int {
        try await writing { db in
            let cutoff = date.milliseconds
            try db.execute(
                sql: """
                    UPDATE user SET purgedThrough = max(purgedThrough,
                        (SELECT max(position) FROM tripChange WHERE ownerId = user.id AND deletedAt < ?1))
                    WHERE id IN (SELECT ownerId FROM tripChange WHERE deletedAt < ?1)
                    """,
                arguments: [cutoff])
            try db.execute(sql: "DELETE FROM tripChange WHERE deletedAt < ?", arguments: [cutoff])
            return db.changesCount
        }
    }
}
