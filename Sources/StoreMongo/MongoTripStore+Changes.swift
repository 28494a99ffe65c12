import Foundation
import TripCore

/// An owner's feed is their trips and tombstones by `changeSeq`. The number is taken by bumping the owner's
/// document inside the transaction that writes the trip, so a second writer's bump waits for, or conflicts with,
/// the first one's until it commits: numbers commit in order. Pages are read in a snapshot transaction, so a page
/// holding a change holds every change of the owner before it.
extension MongoTripStore {
    /// Merges two reads, trips measured by their documents' sizes and tombstones by nothing; each is whole up to its
    /// last change, so the merge is whole up to the earlier of the two lasts of a read that stopped short.
    public func changes(owner: OwnerID, after position: Int64, deletionsAfter: Int64, bound: ReadBound) async throws -> ChangeBatch {
        let feed = changeFeed.load(ordering: .relaxed)
        return try await inTransaction(snapshot: true) { transaction in
            let counters = try transaction["users"].findOne(BSONDocument(["_id": .id(owner)]))?.fields
            let saved = try transaction["trips"].find(Self.changes(of: owner, after: position), sortedBy: "changeSeq", bound: bound) {
                document throws(MongoFailure) in
                try BSONFields.borrowing(document) { fields throws(MongoFailure) in
                    FeedChange(position: try Self.changeSeq(fields), change: .saved(try Documents.trip(fields)))
                }
            }
            var deleted = BoundedRead<FeedChange>(items: [], exhausted: true)
            if deletionsAfter != .max {
                let after = Self.changes(of: owner, after: max(position, deletionsAfter))
                let count = ReadBound(items: bound.items, bytes: .max)
                deleted = try transaction["tombstones"].find(after, sortedBy: "changeSeq", bound: count) { document throws(MongoFailure) in
                    try BSONFields.borrowing(document) { fields throws(MongoFailure) in
                        guard let id: TripID = fields.id("_id") else { throw MongoFailure.corrupt(.tombstone, fields, "malformed tombstone") }
                        return FeedChange(position: try Self.changeSeq(fields), change: .deleted(id))
                    }
                }
            }
            let whole = [saved, deleted].filter { !$0.exhausted }.compactMap { $0.items.last?.position }.min() ?? .max
            let merged = (saved.items + deleted.items).filter { $0.position <= whole }.sorted { $0.position < $1.position }
            let read = BoundedRead(
                items: Array(merged.prefix(bound.items)),
                exhausted: whole == .max && merged.count <= bound.items)
            return ChangeBatch(
                feed: feed, purgedThrough: Int64(counters?.integer("purgedThrough") ?? 0),
                latest: Int64(counters?.integer("changeSeq") ?? 0), read: read)
        }
    }

    private static func changes(of owner: OwnerID, after position: Int64) -> BSONDocument {
        BSONDocument(["ownerId": .id(owner), "changeSeq": .document(BSONDocument(["$gt": .int64(position)]))])
    }

    private static func changeSeq(_ fields: BSONFields) throws(MongoFailure) -> Int64 {
        guard let seq = fields.integer("changeSeq") else { throw MongoFailure.corrupt(.trip, fields, "document without changeSeq") }
        return Int64(seq)
    }

    /// Raises each owner's `purgedThrough` past their old tombstones before deleting them, so that a snapshot
    /// missing a tombstone also holds the horizon that expires cursors from before it; 10,000 tombstones at a time.
    public func purgeTombstones(deletedBefore date: Date) async throws -> Int {
        var purged = 0
        while true {
            let horizons = try await oldTombstoneHorizons(before: date, batch: 10_000)
            guard !horizons.isEmpty else { return purged }
            for (owner, horizon) in horizons {
                try await on("users") { users in
                    try users.updateOne(
                        BSONDocument(["_id": .id(owner)]),
                        BSONDocument(["$max": .document(BSONDocument(["purgedThrough": .int64(horizon)]))]))
                }
                purged += try await on("tombstones") { tombstones in
                    let passed = BSONDocument([
                        "ownerId": .id(owner), "changeSeq": .document(BSONDocument(["$lte": .int64(horizon)])),
                        "deletedAt": .document(BSONDocument(["$lt": .date(date)])),
                    ])
                    return try tombstones.delete(passed, many: true)
                }
            }
        }
    }

    /// The newest change among up to `batch` tombstones from before `date`, by owner.
    private func oldTombstoneHorizons(before date: Date, batch: Int) async throws -> [OwnerID: Int64] {
        try await on("tombstones") { tombstones in
            let old = BSONDocument(["deletedAt": .document(BSONDocument(["$lt": .date(date)]))])
            let options = BSONDocument([
                "projection": .document(BSONDocument(["ownerId": .int32(1), "changeSeq": .int32(1)])),
                "limit": .int64(Int64(batch)),
            ])
            var horizons: [OwnerID: Int64] = [:]
            for tombstone in try tombstones.find(old, options: options) {
                let fields = tombstone.fields
                guard let owner: OwnerID = fields.id("ownerId"), let seq = fields.integer("changeSeq")
                else { throw MongoFailure.corrupt(.tombstone, fields, "malformed tombstone") }
                horizons[owner] = max(horizons[owner] ?? 0, Int64(seq))
            }
            return horizons
        }
    }
}
