import Foundation
import TripCore

/// The steps that brought trip members (issue 25): trips name their owner and hold their members, and each reader's
/// feed is their entries in `feed` rather than their trips' `changeSeq` and the `tombstones` collection.
extension MongoTripStore {
    /// Gives each trip its owner's username and an empty member list where it has none, and indexes trips by member
    /// and invitations by token and trip.
    func nameOwnersAndMembers() async throws {
        try await withDatabase { database in
            try Self.createIndexes(in: database, collection: "trips", [Self.index("member_id", ["members.u", "_id"])])
            try Self.createIndexes(in: database, collection: "invitations", [
                Self.index("token_unique", ["tokenDigest"], unique: true), Self.index("trip_expiry", ["tripId", "expiresAt"]),
            ])
            let trips = database["trips"]
            let unnamed = BSONDocument(["ownerName": .document(BSONDocument(["$exists": .bool(false)]))])
            let owners = Set(try trips.find(unnamed, options: Self.only("ownerId")).compactMap { $0.fields.id("ownerId") as OwnerID? })
            for owner in owners {
                guard let username = try database["users"].findOne(BSONDocument(["_id": .id(owner)]))?.fields.string("username")
                else { continue }
                let filter = BSONDocument(["ownerId": .id(owner), "ownerName": .document(BSONDocument(["$exists": .bool(false)]))])
                try trips.updateMany(filter, BSONDocument(["$set": .document(BSONDocument(["ownerName": .string(username)]))]))
            }
            try trips.updateMany(
                BSONDocument(["members": .document(BSONDocument(["$exists": .bool(false)]))]),
                BSONDocument(["$set": .document(BSONDocument(["members": .array([])]))]))
        }
    }

    /// Copies each trip's place in its owner's feed, and each tombstone, into a feed entry, keeping an entry another
    /// process copied first; then drops what the feed was read from before.
    func moveFeedIntoEntries() async throws {
        try await withDatabase { database in
            try Self.createIndexes(in: database, collection: "feed", [
                Self.index("trip_reader_unique", ["tripId", "readerId"], unique: true),
                Self.index("reader_change", ["readerId", "changeSeq"]), Self.index("deleted_at", ["deletedAt"]),
            ])
            let numbered = BSONDocument(["changeSeq": .document(BSONDocument(["$exists": .bool(true)]))])
            for trip in try database["trips"].find(numbered, options: Self.only("ownerId", "changeSeq")) {
                try Self.copyEntry(trip.fields, deleted: false, in: database)
            }
            for tombstone in try database["tombstones"].find(BSONDocument()) {
                try Self.copyEntry(tombstone.fields, deleted: true, in: database)
            }
            try database["trips"].updateMany(numbered, BSONDocument(["$unset": .document(BSONDocument(["changeSeq": .string("")]))]))
            try Self.dropIndex("owner_change", of: "trips", in: database)
            try Self.drop("tombstones", in: database)
        }
    }

    /// A trip's or a tombstone's place in its owner's feed as a feed entry, unless there is one.
    private static func copyEntry(_ fields: BSONFields, deleted: Bool, in database: MongoDatabase) throws {
        guard let trip: TripID = fields.id("_id"), let owner: OwnerID = fields.id("ownerId"), let seq = fields.integer("changeSeq")
        else { throw MongoFailure.corrupt(deleted ? .tombstone : .trip, fields, "document without ownerId or changeSeq") }
        let entry = BSONDocument(["changeSeq": .int64(Int64(seq)), "ownsTrip": .bool(true)])
        if deleted {
            guard let deletedAt = fields.date("deletedAt") else { throw MongoFailure.corrupt(.tombstone, fields, "tombstone without deletedAt") }
            entry.append("deletedAt", .date(deletedAt))
        }
        do throws(MongoFailure) {
            try database["feed"].updateOne(
                BSONDocument(["readerId": .id(owner), "tripId": .id(trip)]), BSONDocument(["$setOnInsert": .document(entry)]),
                upsert: true)
        } catch where error.isDuplicateKey {
            // Another process copied it first.
        }
    }

    /// Options that read only `fields` and the `_id`.
    static func only(_ fields: String...) -> BSONDocument {
        let projection = BSONDocument()
        for field in fields { projection.append(field, .int32(1)) }
        return BSONDocument(["projection": .document(projection)])
    }
}
