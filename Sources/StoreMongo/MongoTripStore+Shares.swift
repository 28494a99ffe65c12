import Foundation
import TripCore

extension MongoTripStore {
    /// Inserts the share in a transaction that first writes its trip's document, so that it conflicts with the trip's
    /// deletion, or its owner's, and with any other share's creation for the trip: of two, one runs again and counts
    /// the other's share.
    public func createShare(_ share: Share, tokenDigest: String, limit: Int) async throws {
        try await inTransaction { database in
            let touched = try database["trips"].updateOne(
                Self.owned(share.trip, share.owner),
                BSONDocument(["$inc": .document(BSONDocument(["sharesAdded": .int64(1)]))]))
            guard touched == 1 else { throw try Self.ownerOnly(share.trip, caller: share.owner, in: database["trips"]) }
            guard try database["shares"].count(Self.unexpiredShares(of: share.trip, at: share.createdAt), limit: limit) < limit
            else { throw StoreError.shareLimitReached }
            try database["shares"].insert(Documents.share(share, tokenDigest: tokenDigest))
        }
    }

    public func shares(of trip: TripID, owner: OwnerID, at now: Date, limit: Int) async throws -> [Share] {
        try await withDatabase { database in
            guard try Self.tripExists(trip, owner: owner, in: database) else {
                throw try Self.ownerOnly(trip, caller: owner, in: database["trips"])
            }
            let options = BSONDocument([
                "sort": .document(BSONDocument(["createdAt": .int32(1), "_id": .int32(1)])), "limit": .int64(Int64(limit)),
            ])
            let filter = Self.unexpiredShares(of: trip, at: now)
            filter.append("ownerId", .id(owner))
            return try database["shares"].find(filter, options: options).map(Documents.share)
        }
    }

    public func deleteShare(_ id: ShareID, of trip: TripID, owner: OwnerID) async throws {
        try await withDatabase { database in
            guard try database["shares"].delete(BSONDocument(["_id": .id(id), "tripId": .id(trip), "ownerId": .id(owner)])) == 1 else {
                guard try Self.tripExists(trip, owner: owner, in: database) else {
                    throw try Self.ownerOnly(trip, caller: owner, in: database["trips"])
                }
                throw StoreError.notFound(.share, id)
            }
        }
    }

    public func purgeExpiredShares(expiredBy date: Date) async throws -> Int {
        try await on("shares") { shares in
            try shares.delete(BSONDocument(["expiresAt": .document(BSONDocument(["$lte": .date(date)]))]), many: true)
        }
    }

    public func sharedTrip(tokenDigest: String, at now: Date) async throws -> Trip? {
        try await withDatabase { database in
            guard let share = try Self.unexpiredShare(tokenDigest, at: now, in: database) else { return nil }
            return try database["trips"].findOne(Self.owned(share.trip, share.owner)).map(Documents.trip)
        }
    }

    public func sharedTripVersion(tokenDigest: String, at now: Date) async throws -> TripVersion? {
        return try await withDatabase { database in
            guard let share = try Self.unexpiredShare(tokenDigest, at: now, in: database) else { return nil }
            let options = BSONDocument([
                "projection": .document(BSONDocument(["version": .int32(1), "updatedAt": .int32(1)])), "limit": .int64(1),
            ])
            guard let fields = try database["trips"].find(Self.owned(share.trip, share.owner), options: options).first?.fields
            else { return nil }
            guard let version = fields.integer("version"), let updatedAt = fields.date("updatedAt") else {
                throw MongoFailure(message: "malformed trip document", corrupt: (.trip, share.trip.description))
            }
            return TripVersion(trip: share.trip, version: version, updatedAt: updatedAt)
        }
    }

    private static func unexpiredShare(_ tokenDigest: String, at now: Date, in database: MongoDatabase) throws -> Share? {
        guard let share = try database["shares"].findOne(BSONDocument(["tokenDigest": .string(tokenDigest)])).map(Documents.share),
            share.expiresAt.map({ $0 > now }) ?? true
        else { return nil }
        let enabledOwner = BSONDocument(["_id": .id(share.owner), "disabledAt": .document(BSONDocument(["$exists": .bool(false)]))])
        guard try database["users"].count(enabledOwner, limit: 1) == 1 else { return nil }
        return share
    }

    /// A trip's shares that have not expired at `now`; one without `expiresAt` never does.
    private static func unexpiredShares(of trip: TripID, at now: Date) -> BSONDocument {
        BSONDocument([
            "tripId": .id(trip),
            "$or": .array([
                .document(BSONDocument(["expiresAt": .document(BSONDocument(["$exists": .bool(false)]))])),
                .document(BSONDocument(["expiresAt": .document(BSONDocument(["$gt": .date(now)]))])),
            ]),
        ])
    }

    private static func tripExists(_ trip: TripID, owner: OwnerID, in database: MongoDatabase) throws -> Bool {
        let options = BSONDocument(["projection": .document(BSONDocument(["_id": .int32(1)]))])
        return try !database["trips"].find(owned(trip, owner), options: options).isEmpty
    }
}
