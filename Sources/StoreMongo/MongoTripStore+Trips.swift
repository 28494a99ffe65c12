import Foundation
import TripCore

/// Every trip write is a transaction that first bumps its owner's `changeSeq`, and `tripCount` as it adds or removes
/// a trip, so the owner's document orders the owner's writes: see `MongoTripStore+Changes.swift`.
extension MongoTripStore {
    public func createTrip(_ draft: TripDraft, owner: OwnerID, limit: Int) async throws -> Trip {
        let trip = Trip(draft, owner: owner, at: clock.now)
        try await inTransaction { transaction in
            let users = transaction["users"]
            // The quota stays here, atomic in this `$lt` bump; AtomicStoreStepsContractTests states it for every store.
            let room = BSONDocument(["_id": .id(owner), "tripCount": .document(BSONDocument(["$lt": .int64(Int64(limit))]))])
            guard let seq = try Self.nextChange(room, in: users, tripsAdded: 1) else {
                guard try users.findOne(BSONDocument(["_id": .id(owner)])) != nil else { throw StoreError.unknownOwner }
                throw StoreError.tripLimitReached
            }
            try transaction["trips"].insert(Documents.trip(trip, waypoints: draft.waypoints, change: seq))
        }
        return trip
    }

    /// Measures a trip by its document's size.
    public func trips(owner: OwnerID, after: TripID?, bound: ReadBound) async throws -> BoundedRead<Trip> {
        try await on("trips") { trips in
            let filter = BSONDocument(["ownerId": .id(owner)])
            if let after { filter.append("_id", .document(BSONDocument(["$gt": .id(after)]))) }
            return try trips.find(filter, sortedBy: "_id", bound: bound) { document throws(MongoFailure) in
                try BSONFields.borrowing(document, Documents.trip)
            }
        }
    }

    public func trip(_ id: TripID, owner: OwnerID) async throws -> Trip {
        let found = try await on("trips") { trips in try trips.findOne(Self.owned(id, owner)).map(Documents.trip) }
        guard let found else { throw StoreError.notFound(.trip, id) }
        return found
    }

    /// One conditional update on `{_id, ownerId[, version]}`; when it matches nothing, a read tells a missing trip
    /// from a stale version, and the transaction takes back the owner's change.
    public func replaceTrip(
        _ id: TripID, owner: OwnerID, with draft: TripDraft, expectedVersion: Int?
    ) async throws -> Trip {
        let now = clock.now
        return try await inTransaction { transaction -> Trip in
            guard let seq = try Self.nextChange(BSONDocument(["_id": .id(owner)]), in: transaction["users"]) else {
                throw StoreError.notFound(.trip, id)
            }
            let trips = transaction["trips"]
            let update = BSONDocument([
                "$set": .document(BSONDocument([
                    "name": .string(draft.name), "waypoints": Documents.waypoints(draft.waypoints),
                    "updatedAt": .date(now), "changeSeq": .int64(seq),
                ])),
                "$inc": .document(BSONDocument(["version": .int64(1)])),
            ])
            guard let document = try trips.findOneAndUpdate(Self.owned(id, owner, version: expectedVersion), update) else {
                throw try Self.missingOrStale(id, owner, in: trips)
            }
            return try Documents.trip(document)
        }
    }

    /// One conditional delete on `{_id, ownerId[, version]}`, with the trip's shares, and a tombstone in its place.
    public func deleteTrip(_ id: TripID, owner: OwnerID, expectedVersion: Int?) async throws {
        let now = clock.now
        try await inTransaction { transaction in
            let owned = BSONDocument(["_id": .id(owner)])
            guard let seq = try Self.nextChange(owned, in: transaction["users"], tripsAdded: -1) else {
                throw StoreError.notFound(.trip, id)
            }
            let trips = transaction["trips"]
            guard try trips.delete(Self.owned(id, owner, version: expectedVersion)) == 1 else {
                throw try Self.missingOrStale(id, owner, in: trips)
            }
            try transaction["shares"].delete(BSONDocument(["tripId": .id(id)]), many: true)
            try transaction["tombstones"].updateOne(
                BSONDocument(["_id": .id(id)]),
                BSONDocument(["$set": .document(Documents.tombstone(owner: owner, change: seq, deletedAt: now))]),
                upsert: true)
        }
    }

    /// Takes the owner's next change number, counting `tripsAdded`; nil when no owner matches `filter`. It stays in the
    /// store, atomic with the write (AtomicStoreStepsContractTests).
    private static func nextChange(
        _ filter: BSONDocument, in users: MongoCollection, tripsAdded: Int64 = 0
    ) throws -> Int64? {
        let increments = BSONDocument(["changeSeq": .int64(1)])
        if tripsAdded != 0 { increments.append("tripCount", .int64(tripsAdded)) }
        let user = try users.findOneAndUpdate(filter, BSONDocument(["$inc": .document(increments)]))
        return try user.map { user in
            guard let seq = user.fields.integer("changeSeq") else { throw MongoFailure.corrupt(.account, user.fields, "user without changeSeq") }
            return Int64(seq)
        }
    }

    private static func missingOrStale(_ id: TripID, _ owner: OwnerID, in trips: MongoCollection) throws -> StoreError {
        try trips.findOne(owned(id, owner)) == nil ? .notFound(.trip, id) : .versionConflict
    }

    static func owned(_ id: TripID, _ owner: OwnerID, version: Int? = nil) -> BSONDocument {
        let filter = BSONDocument(["_id": .id(id), "ownerId": .id(owner)])
        if let version { filter.append("version", .int64(Int64(version))) }
        return filter
    }
}
