import Foundation
import GRDB
import TripCore

/// The feed is `tripChange`, one row per trip and reader (its owner and each member) kept at the trip's last change
/// for that reader: by triggers on `trip` and `member` for saves, joins and new roles, and for a deletion or lost
/// access by `deleteTrip`, `removeMember` and `deleteUser`, which stamp tombstones with the store's clock. A trigger
/// numbers each reader's changes from their own `changeSeq`, so a cursor counts only its reader's changes; SQLite has one writer at a time, so the numbers
/// are the order of commits: a snapshot that holds a change holds every change before it. Taking the next number stays
/// in the trigger, atomic with the write (AtomicStoreStepsContractTests).
extension SQLiteTripStore {
    public func changes(reader: OwnerID, after position: Int64, deletionsAfter: Int64, bound: ReadBound) async throws -> ChangeBatch {
        try await readingSnapshot { db in
            let feedID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM changeFeed"))!
            let counters = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT changeSeq, purgedThrough FROM user WHERE id = ?"), arguments: [reader.description])
            let page = try db.cachedStatement(sql: """
                SELECT \(TripRow.columns(of: "trip")), owner.username,
                    CASE WHEN trip.ownerId = ?1 THEN 'owner' ELSE member.role END,
                    tripChange.position, tripChange.tripId, tripChange.deletedAt
                FROM tripChange LEFT JOIN trip ON trip.id = tripChange.tripId
                LEFT JOIN user AS owner ON owner.id = trip.ownerId
                LEFT JOIN member ON member.tripId = tripChange.tripId AND member.userId = ?1
                WHERE tripChange.readerId = ?1 AND tripChange.position > ?2
                    AND (tripChange.deletedAt IS NULL OR tripChange.position > ?3)
                ORDER BY tripChange.position LIMIT ?4
                """)
            let rows = try Row.fetchCursor(page, arguments: [reader.description, position, deletionsAfter, bound.items])
            let read = try bound.read { () throws -> (item: FeedChange, bytes: Int)? in
                guard let row = try rows.next() else { return nil }
                guard row[11] as Int64? == nil else {
                    let id: IDColumn = try row.decode(IDColumn.self, atIndex: 10)
                    return (FeedChange(position: row[9], change: .deleted(TripID(id.objectID))), 0)
                }
                let seen = try SeenTripRow(row: row, at: 0)
                return (FeedChange(position: row[9], change: .saved(try seen.seen)), seen.trip.storedSize)
            }
            return ChangeBatch(feed: feedID, purgedThrough: counters?[1] ?? 0, latest: counters?[0] ?? 0, read: read)
        }
    }

    public func purgeTombstones(deletedBefore date: Date) async throws -> Int {
        try await writing { db in
            let cutoff = date.milliseconds
            try db.execute(
                sql: """
                    UPDATE user SET purgedThrough = max(purgedThrough,
                        (SELECT max(position) FROM tripChange WHERE readerId = user.id AND deletedAt < ?1))
                    WHERE id IN (SELECT readerId FROM tripChange WHERE deletedAt < ?1)
                    """,
                arguments: [cutoff])
            try db.execute(sql: "DELETE FROM tripChange WHERE deletedAt < ?", arguments: [cutoff])
            return db.changesCount
        }
    }
}
