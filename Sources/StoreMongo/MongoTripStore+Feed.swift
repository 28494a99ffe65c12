import Foundation
import TripCore

/// Each reader's feed is the `feed` collection: one entry per reader and trip, `{readerId, tripId, changeSeq,
/// deletedAt?, ownsTrip?}`, at the reader's last change of that trip; `deletedAt` makes it a tombstone, and `ownsTrip`
/// marks the owner's entry, the one an archive keeps. The number is taken by bumping the reader's user document inside
/// the transaction that writes the change, so a second writer's bump waits for, or conflicts with, the first one's
/// until it commits: each reader's numbers commit in order.
extension MongoTripStore {
    /// Takes the next change number of the user `filter` matches, counting `tripsAdded`; nil when no user matches.
    /// It stays in the store, atomic with the write (AtomicStoreStepsContractTests).
    static func nextChange(
        _ filter: BSONDocument, in users: MongoCollection, tripsAdded: Int64 = 0
    ) throws -> (seq: Int64, user: BSONFields)? {
        let increments = BSONDocument(["changeSeq": .int64(1)])
        if tripsAdded != 0 { increments.append("tripCount", .int64(tripsAdded)) }
        let user = try users.findOneAndUpdate(filter, BSONDocument(["$inc": .document(increments)]))
        return try user.map { user in
            let fields = user.fields
            guard let seq = fields.integer("changeSeq") else { throw MongoFailure.corrupt(.account, fields, "user without changeSeq") }
            return (Int64(seq), fields)
        }
    }

    /// Puts `trip` at `reader`'s next change: saved, or deleted at `deletedAt`. False when the reader has no account.
    @discardableResult
    static func recordChange(
        of trip: TripID, for reader: OwnerID, ownsTrip: Bool = false, deletedAt: Date? = nil, in database: MongoDatabase
    ) throws -> Bool {
        guard case let (seq, _)? = try nextChange(BSONDocument(["_id": .id(reader)]), in: database["users"]) else { return false }
        try writeEntry(of: trip, for: reader, seq: seq, ownsTrip: ownsTrip, deletedAt: deletedAt, in: database)
        return true
    }

    /// Writes `reader`'s entry of `trip` at a change number already taken.
    static func writeEntry(
        of trip: TripID, for reader: OwnerID, seq: Int64, ownsTrip: Bool, deletedAt: Date? = nil, in database: MongoDatabase
    ) throws {
        let set = BSONDocument(["changeSeq": .int64(seq)])
        if ownsTrip { set.append("ownsTrip", .bool(true)) }
        let update = BSONDocument()
        if let deletedAt {
            set.append("deletedAt", .date(deletedAt))
            update.append("$set", .document(set))
        } else {
            update.append("$set", .document(set))
            update.append("$unset", .document(BSONDocument(["deletedAt": .string("")])))
        }
        try database["feed"].updateOne(BSONDocument(["readerId": .id(reader), "tripId": .id(trip)]), update, upsert: true)
    }

    /// Matches the trip when `reader` owns it or is a member.
    static func readable(_ id: TripID, by reader: OwnerID) -> BSONDocument {
        let filter = BSONDocument(["_id": .id(id)])
        filter.append("$or", readers(reader))
        return filter
    }

    static func readers(_ reader: OwnerID) -> BSONValue {
        .array([.document(BSONDocument(["ownerId": .id(reader)])), .document(BSONDocument(["members.u": .id(reader)]))])
    }

    /// Why `caller` may not do what only the owner may: forbidden for a member, not found for anyone else.
    static func ownerOnly(_ id: TripID, caller: OwnerID, in trips: MongoCollection) throws -> StoreError {
        try trips.count(readable(id, by: caller), limit: 1) == 1 ? .forbidden : .notFound(.trip, id)
    }

    /// The trip document when `owner` owns it; otherwise throws as `ownerOnly` says.
    static func ownedTrip(_ id: TripID, owner: OwnerID, in trips: MongoCollection) throws -> BSONDocument {
        guard let document = try trips.findOne(readable(id, by: owner)) else { throw StoreError.notFound(.trip, id) }
        guard document.fields.id("ownerId") == owner else { throw StoreError.forbidden }
        return document
    }
}
