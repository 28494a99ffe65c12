import Foundation
import GRDB
import TripCore

extension SQLiteTripStore {
    public func createTrip(_ draft: TripDraft, owner: OwnerID, limit: Int) async throws -> Trip {
        let trip = Trip(draft, owner: owner, at: clock.now)
        let row = TripRow(trip)
        try await writing { db in
            let count = try db.cachedStatement(sql: "SELECT tripCount FROM user WHERE id = ?")
            guard let held = try Int.fetchOne(count, arguments: [owner.description]) else { throw StoreError.unknownOwner }
            // The quota stays here, atomic with the insert; AtomicStoreStepsContractTests states it for every store.
            guard held < limit else { throw StoreError.tripLimitReached }
            try row.insert(db)
        }
        return trip
    }

    /// Measures a trip by its name and waypoints as stored.
    public func trips(owner: OwnerID, after: TripID?, bound: ReadBound) async throws -> BoundedRead<Trip> {
        let read = try await reading { db in
            let page = try db.cachedStatement(
                sql: "SELECT \(TripRow.columns) FROM trip WHERE ownerId = ? AND id > ? ORDER BY id LIMIT ?")
            let rows = try TripRow.fetchCursor(page, arguments: [owner.description, after?.description ?? "", bound.items])
            return try bound.read { () throws -> (item: TripRow, bytes: Int)? in try rows.next().map { ($0, $0.storedSize) } }
        }
        return BoundedRead(items: try read.items.map { try $0.trip }, exhausted: read.exhausted)
    }

    public func trip(_ id: TripID, owner: OwnerID) async throws -> Trip {
        try await reading { db in try Self.ownedRow(db, id: id, owner: owner) }.trip
    }

    /// One conditional update on `id, ownerId[, version]`, as on MongoDB; when it matches nothing, a read
    /// tells a missing trip from a stale version. The stored waypoints are never parsed.
    public func replaceTrip(
        _ id: TripID, owner: OwnerID, with draft: TripDraft, expectedVersion: Int?
    ) async throws -> Trip {
        let waypoints = Waypoints(draft.waypoints)
        let document = String(decoding: waypoints.json, as: UTF8.self)
        let now = clock.now
        let (createdAt, version) = try await writing { db -> (Int64, Int) in
            let update = try db.cachedStatement(sql: """
                UPDATE trip SET name = ?, waypoints = ?, updatedAt = ?, version = version + 1
                WHERE id = ? AND ownerId = ? AND version = coalesce(?, version)
                RETURNING createdAt, version
                """)
            let arguments: StatementArguments = [
                draft.name, document, now.milliseconds, id.description, owner.description, expectedVersion,
            ]
            guard let row = try Row.fetchOne(update, arguments: arguments) else {
                _ = try Self.ownedRow(db, id: id, owner: owner)
                throw StoreError.versionConflict
            }
            return (row[0], row[1])
        }
        return Trip(
            id: id, owner: owner, name: draft.name, waypoints: waypoints,
            createdAt: Date(milliseconds: createdAt), updatedAt: now, version: version)
    }

    /// Deletes the trip and leaves a tombstone stamped with this store's clock in its place, in one transaction.
    public func deleteTrip(_ id: TripID, owner: OwnerID, expectedVersion: Int?) async throws {
        let deletedAt = clock.now.milliseconds
        try await writing { db in
            try db.execute(
                sql: "DELETE FROM trip WHERE id = ?1 AND ownerId = ?2 AND (?3 IS NULL OR version = ?3)",
                arguments: [id.description, owner.description, expectedVersion])
            guard db.changesCount == 0 else {
                let tombstone = try db.cachedStatement(
                    sql: "INSERT OR REPLACE INTO tripChange(tripId, ownerId, deletedAt) VALUES (?, ?, ?)")
                try tombstone.execute(arguments: [id.description, owner.description, deletedAt])
                return
            }
            _ = try Self.ownedRow(db, id: id, owner: owner)
            throw StoreError.versionConflict
        }
    }

    private static func ownedRow(_ db: Database, id: TripID, owner: OwnerID) throws -> TripRow {
        let statement = try db.cachedStatement(sql: "SELECT \(TripRow.columns) FROM trip WHERE id = ? AND ownerId = ?")
        let row = try TripRow.fetchOne(statement, arguments: [id.description, owner.description])
        guard let row else { throw StoreError.notFound(.trip, id) }
        return row
    }
}
