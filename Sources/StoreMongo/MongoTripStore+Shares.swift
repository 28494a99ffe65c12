import Foundation
import TripCore

extension MongoTripStore {
    /// Inserts the share once the trip is found, then looks again: a share whose trip was deleted meanwhile is
    /// removed here, or by `deleteTrip`, which deletes the trip's shares after it.
    public func createShare(_ share: Share, tokenDigest: String) async throws {
        try await requireTrip(share.trip, owner: share.owner)
        try await on("shares") { shares in try shares.insert(Documents.share(share, tokenDigest: tokenDigest)) }
        do {
            try await requireTrip(share.trip, owner: share.owner)
        } catch let error as StoreError where error == .notFound {
            try await on("shares") { shares in try shares.delete(BSONDocument(["_id": .id(share.id)])) }
            throw error
        }
    }

    public func shares(of trip: TripID, owner: OwnerID) async throws -> [Share] {
        try await requireTrip(trip, owner: owner)
        return try await on("shares") { shares in
            let options = BSONDocument(["sort": .document(BSONDocument(["createdAt": .int32(1), "_id": .int32(1)]))])
            return try shares.find(BSONDocument(["tripId": .id(trip), "ownerId": .id(owner)]), options: options)
                .map(Documents.share)
        }
    }

    public func deleteShare(_ id: ShareID, of trip: TripID, owner: OwnerID) async throws {
        let deleted = try await on("shares") { shares in
            try shares.delete(BSONDocument(["_id": .id(id), "tripId": .id(trip), "ownerId": .id(owner)]))
        }
        guard deleted == 1 else { throw StoreError.notFound }
    }

    public func sharedTrip(tokenDigest: String, at now: Date) async throws -> Trip? {
        let share = try await on("shares") { shares in
            try shares.findOne(BSONDocument(["tokenDigest": .string(tokenDigest)])).map(Documents.share)
        }
        guard let share, share.expiresAt.map({ $0 > now }) ?? true else { return nil }
        return try await on("trips") { trips in try trips.findOne(Self.owned(share.trip, share.owner)).map(Documents.trip) }
    }

    private func requireTrip(_ trip: TripID, owner: OwnerID) async throws {
        let found = try await on("trips") { trips in
            let options = BSONDocument(["projection": .document(BSONDocument(["_id": .int32(1)]))])
            return try !trips.find(Self.owned(trip, owner), options: options).isEmpty
        }
        guard found else { throw StoreError.notFound }
    }
}
