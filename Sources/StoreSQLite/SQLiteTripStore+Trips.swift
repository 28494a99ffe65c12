import Foundation
import GRDB
import TripCore

extension SQLiteTripStore {
    public func createTrip(_ draft: TripDraft, owner: OwnerID) async throws -> Trip {
        let trip = Trip(draft, owner: owner)
        let row = TripRow(trip)
        try await writing { db in try row.insert(db) }
        return trip
    }

    public func trips(owner: OwnerID, after: TripID?, limit: Int) async throws -> [Trip] {
        try await reading { db in
            let page = try db.cachedStatement(
                sql: "SELECT \(TripRow.columns) FROM trip WHERE ownerId = ? AND id > ? ORDER BY id LIMIT ?")
            return try TripRow.fetchAll(page, arguments: [owner.description, after?.description ?? "", limit])
        }.map { try $0.trip }
    }

    public func trip(_ id: TripID, owner: OwnerID) async throws -> Trip {
        try await reading { db in try Self.ownedRow(db, id: id, owner: owner) }.trip
    }

    public func replaceTrip(
        _ id: TripID, owner: OwnerID, with draft: TripDraft, expectedVersion: Int?
    ) async throws -> Trip {
        try await writing { db in
            let current = try Self.ownedRow(db, id: id, owner: owner).trip
            if let expectedVersion, expectedVersion != current.version { throw StoreError.versionConflict }
            let replaced = current.replaced(with: draft)
            try TripRow(replaced).update(db)
            return replaced
        }
    }

    public func deleteTrip(_ id: TripID, owner: OwnerID) async throws {
        let deleted = try await writing { db in
            try db.execute(sql: "DELETE FROM trip WHERE id = ? AND ownerId = ?", arguments: [id.description, owner.description])
            return db.changesCount
        }
        guard deleted == 1 else { throw StoreError.notFound }
    }

    private static func ownedRow(_ db: Database, id: TripID, owner: OwnerID) throws -> TripRow {
        let statement = try db.cachedStatement(sql: "SELECT \(TripRow.columns) FROM trip WHERE id = ? AND ownerId = ?")
        let row = try TripRow.fetchOne(statement, arguments: [id.description, owner.description])
        guard let row else { throw StoreError.notFound }
        return row
    }
}
