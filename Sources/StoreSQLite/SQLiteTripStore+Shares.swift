import Foundation
import GRDB
import TripCore

extension SQLiteTripStore {
    /// One insert, made only when the owner holds the trip; a trip deleted meanwhile takes its shares with it.
    public func createShare(_ share: Share, tokenDigest: String) async throws {
        try await writing { db in
            try db.execute(
                sql: """
                    INSERT INTO share (id, tripId, ownerId, tokenDigest, createdAt, expiresAt)
                    SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM trip WHERE id = ?2 AND ownerId = ?3)
                    """,
                arguments: [
                    share.id.description, share.trip.description, share.owner.description, tokenDigest,
                    share.createdAt.milliseconds, share.expiresAt?.milliseconds,
                ])
            guard db.changesCount == 1 else { throw StoreError.notFound }
        }
    }

    public func shares(of trip: TripID, owner: OwnerID) async throws -> [Share] {
        try await readingSnapshot { db in
            let held = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM trip WHERE id = ? AND ownerId = ?)",
                arguments: [trip.description, owner.description]) ?? false
            guard held else { throw StoreError.notFound }
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, createdAt, expiresAt FROM share WHERE tripId = ? ORDER BY createdAt, id",
                arguments: [trip.description])
            return rows.compactMap { row in
                ShareID(row[0] as String).map { id in
                    Share(
                        id: id, trip: trip, owner: owner, createdAt: Date(milliseconds: row[1]),
                        expiresAt: (row[2] as Int64?).map(Date.init(milliseconds:)))
                }
            }
        }
    }

    public func deleteShare(_ id: ShareID, of trip: TripID, owner: OwnerID) async throws {
        try await writing { db in
            try db.execute(
                sql: "DELETE FROM share WHERE id = ? AND tripId = ? AND ownerId = ?",
                arguments: [id.description, trip.description, owner.description])
            guard db.changesCount == 1 else { throw StoreError.notFound }
        }
    }

    public func sharedTrip(tokenDigest: String, at now: Date) async throws -> Trip? {
        try await reading { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(TripRow.columns(of: "trip")) FROM share JOIN trip ON trip.id = share.tripId
                WHERE share.tokenDigest = ? AND (share.expiresAt IS NULL OR share.expiresAt > ?)
                """)
            return try TripRow.fetchOne(statement, arguments: [tokenDigest, now.milliseconds])
        }.map { try $0.trip }
    }
}
