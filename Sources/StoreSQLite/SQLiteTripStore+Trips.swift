import Foundation
import GRDB
import TripCore

extension SQLiteTripStore {
    public func createTrip(_ draft: TripDraft, owner: OwnerID, limit: Int) async throws -> Trip {
        let now = clock.now
        return try await writing { db in
            let count = try db.cachedStatement(sql: "SELECT tripCount, username FROM user WHERE id = ?")
            guard let held = try Row.fetchOne(count, arguments: [owner.description]) else { throw StoreError.unknownOwner }
            // The quota stays here, atomic with the insert; AtomicStoreStepsContractTests states it for every store.
            guard (held[0] as Int) < limit else { throw StoreError.tripLimitReached }
            let trip = Trip(draft, owner: owner, at: now, access: TripAccess(ownerName: held[1], role: .owner))
            try TripRow(trip).insert(db)
            return trip
        }
    }

    /// Measures a trip by its name and waypoints as stored.
    public func trips(reader: OwnerID, role: TripRole?, after: TripID?, bound: ReadBound) async throws -> BoundedRead<Trip> {
        let read = try await reading { db in
            // Two runs in id order, each by its index, merged: keyed by the member's trip id on the right, so that SQLite
            // knows the order and sorts nothing.
            let page = try db.cachedStatement(sql: """
                SELECT trip.id, \(Self.seenTripColumns(role: "'owner'")) FROM trip JOIN user AS owner ON owner.id = trip.ownerId
                WHERE trip.ownerId = ?1 AND trip.id > ?2 AND ?3 IN ('', 'owner')
                UNION ALL
                SELECT member.tripId, \(Self.seenTripColumns(role: "member.role"))
                FROM member JOIN trip ON trip.id = member.tripId JOIN user AS owner ON owner.id = trip.ownerId
                WHERE member.userId = ?1 AND member.tripId > ?2 AND ?3 IN ('', member.role)
                ORDER BY 1 LIMIT ?4
                """)
            let arguments: StatementArguments = [reader.description, after?.description ?? "", role?.rawValue ?? "", bound.items]
            let rows = try Row.fetchCursor(page, arguments: arguments)
            return try bound.read { () throws -> (item: SeenTripRow, bytes: Int)? in
                try rows.next().map { let seen = try SeenTripRow(row: $0, at: 1); return (seen, seen.trip.storedSize) }
            }
        }
        return BoundedRead(items: try read.items.map { try $0.seen }, exhausted: read.exhausted)
    }

    public func trip(_ id: TripID, reader: OwnerID) async throws -> Trip {
        try await reading { db in try Self.readable(db, id: id, reader: reader) }.seen
    }

    /// One conditional update on the trip's id, its editor and version, as on MongoDB; when it matches nothing, a read
    /// tells a trip the editor may not read or only view from a stale version. The stored waypoints are never parsed.
    public func replaceTrip(
        _ id: TripID, editor: OwnerID, with draft: TripDraft, expectedVersion: Int?
    ) async throws -> Trip {
        let waypoints = Waypoints(draft.waypoints)
        let document = String(decoding: waypoints.json, as: UTF8.self)
        let now = clock.now
        let stored = try await writing { db -> SeenTripRow in
            let update = try db.cachedStatement(sql: """
                UPDATE trip SET name = ?1, waypoints = ?2, updatedAt = ?3, version = version + 1
                WHERE id = ?4 AND version = coalesce(?6, version) AND (ownerId = ?5
                    OR EXISTS (SELECT 1 FROM member WHERE tripId = ?4 AND userId = ?5 AND role = 'editor'))
                """)
            try update.execute(arguments: [draft.name, document, now.milliseconds, id.description, editor.description, expectedVersion])
            let seen = try Self.readable(db, id: id, reader: editor)
            guard db.changesCount == 1 else {
                guard seen.role.mayEdit else { throw StoreError.forbidden }
                throw StoreError.versionConflict
            }
            return seen
        }
        return try stored.seen
    }

    /// Deletes the trip and leaves a tombstone stamped with this store's clock in the feed of its owner and of each
    /// member, in one transaction; its members, invitations and shares go with it.
    public func deleteTrip(_ id: TripID, owner: OwnerID, expectedVersion: Int?) async throws {
        let deletedAt = clock.now.milliseconds
        try await writing { db in
            guard try Self.readable(db, id: id, reader: owner).role == .owner else { throw StoreError.forbidden }
            let tombstones = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO tripChange(tripId, readerId, ownerId, deletedAt)
                SELECT ?1, ?2, ?2, ?3 UNION ALL SELECT ?1, userId, ?2, ?3 FROM member WHERE tripId = ?1
                """)
            try tombstones.execute(arguments: [id.description, owner.description, deletedAt])
            try db.execute(
                sql: "DELETE FROM trip WHERE id = ?1 AND ownerId = ?2 AND (?3 IS NULL OR version = ?3)",
                arguments: [id.description, owner.description, expectedVersion])
            guard db.changesCount == 1 else { throw StoreError.versionConflict }
        }
    }

    /// The columns of `SeenTripRow`, for a statement that names the trip `trip` and its owner's account `owner`, with the
    /// reader's role as `role` gives it.
    static func seenTripColumns(role: String) -> String {
        "\(TripRow.columns(of: "trip")), owner.username, \(role)"
    }

    /// The trip as `reader` sees it; `StoreError.notFound` when they may not read it.
    static func readable(_ db: Database, id: TripID, reader: OwnerID) throws -> SeenTripRow {
        let statement = try db.cachedStatement(sql: """
            SELECT \(TripRow.columns(of: "trip")), owner.username,
                CASE WHEN trip.ownerId = ?2 THEN 'owner' ELSE member.role END AS role
            FROM trip JOIN user AS owner ON owner.id = trip.ownerId
            LEFT JOIN member ON member.tripId = trip.id AND member.userId = ?2
            WHERE trip.id = ?1 AND (trip.ownerId = ?2 OR member.userId IS NOT NULL)
            """)
        guard let row = try Row.fetchOne(statement, arguments: [id.description, reader.description]) else {
            throw StoreError.notFound(.trip, id)
        }
        return try SeenTripRow(row: row, at: 0)
    }
}
