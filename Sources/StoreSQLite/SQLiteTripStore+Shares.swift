import Foundation
import GRDB
import TripCore

extension SQLiteTripStore {
    /// Counts the trip's unexpired shares and inserts in one write transaction; writes are serialized, across
    /// processes too, so the count cannot change between the two.
    public func createShare(_ share: Share, tokenDigest: String, limit: Int) async throws {
        try await writing { db in
            try Self.requireOwner(db, trip: share.trip, owner: share.owner)
            let live = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM share WHERE tripId = ? AND (expiresAt IS NULL OR expiresAt > ?)",
                arguments: [share.trip.description, share.createdAt.milliseconds]) ?? 0
            guard live < limit else { throw StoreError.shareLimitReached }
            try db.execute(
                sql: "INSERT INTO share (id, tripId, ownerId, tokenDigest, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    share.id.description, share.trip.description, share.owner.description, tokenDigest,
                    share.createdAt.milliseconds, share.expiresAt?.milliseconds,
                ])
        }
    }

    public func shares(of trip: TripID, owner: OwnerID, at now: Date, limit: Int) async throws -> [Share] {
        try await readingSnapshot { db in
            try Self.requireOwner(db, trip: trip, owner: owner)
            let rows = try Row.fetchAll(
                db, sql: """
                    SELECT id, createdAt, expiresAt FROM share WHERE tripId = ? AND (expiresAt IS NULL OR expiresAt > ?)
                    ORDER BY createdAt, id LIMIT ?
                    """,
                arguments: [trip.description, now.milliseconds, limit])
            return try rows.map { row in
                guard let id = ShareID(row[0] as String) else { throw StoreError.corrupt(.share, row[0] as String, "id is not an object id") }
                return Share(
                    id: id, trip: trip, owner: owner, createdAt: Date(milliseconds: row[1]),
                    expiresAt: (row[2] as Int64?).map(Date.init(milliseconds:)))
            }
        }
    }

    public func deleteShare(_ id: ShareID, of trip: TripID, owner: OwnerID) async throws {
        try await writing { db in
            try db.execute(
                sql: "DELETE FROM share WHERE id = ? AND tripId = ? AND ownerId = ?",
                arguments: [id.description, trip.description, owner.description])
            guard db.changesCount == 1 else {
                try Self.requireOwner(db, trip: trip, owner: owner)
                throw StoreError.notFound(.share, id)
            }
        }
    }

    public func purgeExpiredShares(expiredBy date: Date) async throws -> Int {
        try await writing { db in
            try db.execute(sql: "DELETE FROM share WHERE expiresAt <= ?", arguments: [date.milliseconds])
            return db.changesCount
        }
    }

    public func sharedTripVersion(tokenDigest: String, at now: Date) async throws -> TripVersion? {
        return try await reading { db in
            let statement = try db.cachedStatement(sql: """
                SELECT trip.id, trip.version, trip.updatedAt FROM share JOIN trip ON trip.id = share.tripId JOIN user ON user.id = share.ownerId
                WHERE user.disabledAt IS NULL AND share.tokenDigest = ? AND (share.expiresAt IS NULL OR share.expiresAt > ?)
                """)
            return try Row.fetchOne(statement, arguments: [tokenDigest, now.milliseconds]).flatMap { row in
                TripID(row[0] as String).map { TripVersion(trip: $0, version: row[1], updatedAt: Date(milliseconds: row[2])) }
            }
        }
    }

    public func sharedTrip(tokenDigest: String, at now: Date) async throws -> Trip? {
        try await reading { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(TripRow.columns(of: "trip")) FROM share JOIN trip ON trip.id = share.tripId JOIN user ON user.id = share.ownerId
                WHERE user.disabledAt IS NULL AND share.tokenDigest = ? AND (share.expiresAt IS NULL OR share.expiresAt > ?)
                """)
            return try TripRow.fetchOne(statement, arguments: [tokenDigest, now.milliseconds])
        }.map { try $0.trip }
    }
}
