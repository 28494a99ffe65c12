import Foundation
import TripCore

extension MongoTripStore {
    /// The count and the insert are two calls, so processes creating at once may together pass `limit` by the
    /// number of them.
    public func createTrip(_ draft: TripDraft, owner: OwnerID, limit: Int) async throws -> Trip {
        let trip = Trip(draft, owner: owner)
        try await on("trips") { trips in
            guard try trips.count(BSONDocument(["ownerId": .id(owner)]), limit: limit) < limit else {
                throw StoreError.tripLimitReached
            }
            try trips.insert(Documents.trip(trip, waypoints: draft.waypoints))
        }
        try await confirmOwner(owner, orRemove: { Self.owned(trip.id, owner) }, from: "trips")
        return trip
    }

    public func trips(owner: OwnerID, after: TripID?, limit: Int, byteBudget: Int) async throws -> [Trip] {
        try await on("trips") { trips in
            let filter = BSONDocument(["ownerId": .id(owner)])
            if let after { filter.append("_id", .document(BSONDocument(["$gt": .id(after)]))) }
            let options = BSONDocument(["sort": .document(BSONDocument(["_id": .int32(1)])), "limit": .int64(Int64(limit))])
            return try trips.find(filter, options: options, byteBudget: byteBudget).map(Documents.trip)
        }
    }

    public func trip(_ id: TripID, owner: OwnerID) async throws -> Trip {
        let found = try await on("trips") { trips in try trips.findOne(Self.owned(id, owner)).map(Documents.trip) }
        guard let found else { throw StoreError.notFound }
        return found
    }

    /// One conditional, atomic update on `{_id, ownerId[, version]}`; when it matches nothing, a read tells
    /// a missing trip from a stale version.
    public func replaceTrip(
        _ id: TripID, owner: OwnerID, with draft: TripDraft, expectedVersion: Int?
    ) async throws -> Trip {
        try await on("trips") { trips -> Trip in
            let filter = Self.owned(id, owner)
            if let expectedVersion { filter.append("version", .int64(Int64(expectedVersion))) }
            let update = BSONDocument([
                "$set": .document(BSONDocument([
                    "name": .string(draft.name), "waypoints": Documents.waypoints(draft.waypoints),
                    "updatedAt": .date(.storeNow),
                ])),
                "$inc": .document(BSONDocument(["version": .int64(1)])),
            ])
            guard let document = try trips.findOneAndUpdate(filter, update) else {
                guard try trips.findOne(Self.owned(id, owner)) != nil else { throw StoreError.notFound }
                throw StoreError.versionConflict
            }
            return try Documents.trip(document)
        }
    }

    /// One conditional delete on `{_id, ownerId[, version]}`; when it matches nothing, a read tells a missing trip
    /// from a stale version.
    public func deleteTrip(_ id: TripID, owner: OwnerID, expectedVersion: Int?) async throws {
        try await on("trips") { trips in
            let filter = Self.owned(id, owner)
            if let expectedVersion { filter.append("version", .int64(Int64(expectedVersion))) }
            guard try trips.delete(filter) == 0 else { return }
            guard expectedVersion != nil, try trips.findOne(Self.owned(id, owner)) != nil else { throw StoreError.notFound }
            throw StoreError.versionConflict
        }
    }

    static func owned(_ id: TripID, _ owner: OwnerID) -> BSONDocument {
        BSONDocument(["_id": .id(id), "ownerId": .id(owner)])
    }
}
