import Foundation
import TripCore

/// A reader's feed is their entries in `feed` by `changeSeq` (see `MongoTripStore+Feed.swift`). Pages are read in a
/// snapshot transaction, so a page holding a change holds every earlier change of the reader.
extension MongoTripStore {
    /// Reads up to `bound.items` entries, then their trips by `$in` a few at a time, measuring each trip by its
    /// document's size and each tombstone by nothing.
    public func changes(reader: OwnerID, after position: Int64, deletionsAfter: Int64, bound: ReadBound) async throws -> ChangeBatch {
        let feed = changeFeed.load(ordering: .relaxed)
        return try await inTransaction(snapshot: true) { transaction in
            let counters = try transaction["users"].findOne(BSONDocument(["_id": .id(reader)]))?.fields
            let entries = try transaction["feed"].find(
                Self.entries(of: reader, after: position, deletionsAfter: deletionsAfter), sortedBy: "changeSeq",
                bound: ReadBound(items: bound.items, bytes: .max), Self.entry)
            var pending = entries.items[...]
            var loaded: [(item: FeedChange, bytes: Int)] = []
            let read = try bound.read { () throws -> (item: FeedChange, bytes: Int)? in
                if loaded.isEmpty, !pending.isEmpty {
                    let chunk = pending.prefix(MongoCollection.boundedBatch)
                    pending = pending.dropFirst(chunk.count)
                    loaded = try Self.changes(chunk, reader: reader, in: transaction["trips"]).reversed()
                }
                return loaded.popLast()
            }
            return ChangeBatch(
                feed: feed, purgedThrough: Int64(counters?.integer("purgedThrough") ?? 0),
                latest: Int64(counters?.integer("changeSeq") ?? 0),
                read: BoundedRead(items: read.items, exhausted: read.exhausted && entries.exhausted))
        }
    }

    private static func entries(of reader: OwnerID, after position: Int64, deletionsAfter: Int64) -> BSONDocument {
        let filter = BSONDocument(["readerId": .id(reader), "changeSeq": .document(BSONDocument(["$gt": .int64(position)]))])
        let saved = BSONDocument(["deletedAt": .document(BSONDocument(["$exists": .bool(false)]))])
        if deletionsAfter == .max {
            filter.append("deletedAt", .document(BSONDocument(["$exists": .bool(false)])))
        } else if deletionsAfter > position {
            filter.append("$or", .array([
                .document(saved), .document(BSONDocument(["changeSeq": .document(BSONDocument(["$gt": .int64(deletionsAfter)]))])),
            ]))
        }
        return filter
    }

    private struct Entry {
        let seq: Int64
        let trip: TripID
        let deleted: Bool
    }

    private static func entry(_ document: OpaquePointer) throws(MongoFailure) -> Entry {
        try BSONFields.borrowing(document) { fields throws(MongoFailure) in
            guard let seq = fields.integer("changeSeq"), let trip: TripID = fields.id("tripId") else {
                throw MongoFailure.corrupt(.changeFeed, fields, "malformed feed entry")
            }
            return Entry(seq: Int64(seq), trip: trip, deleted: fields.date("deletedAt") != nil)
        }
    }

    /// The changes `entries` name, in their order, with the trips of the saved ones and their documents' sizes.
    private static func changes(
        _ entries: ArraySlice<Entry>, reader: OwnerID, in trips: MongoCollection
    ) throws -> [(item: FeedChange, bytes: Int)] {
        let ids = entries.filter { !$0.deleted }.map { BSONValue.id($0.trip) }
        var found: [TripID: (Trip, Int)] = [:]
        if !ids.isEmpty {
            let filter = BSONDocument(["_id": .document(BSONDocument(["$in": .array(ids)]))])
            for (trip, bytes) in try trips.find(filter, { document throws(MongoFailure) in
                (try BSONFields.borrowing(document) { fields throws(MongoFailure) in try Documents.trip(fields, reader: reader) },
                 BSONDocument.byteCount(of: document))
            }) {
                found[trip.id] = (trip, bytes)
            }
        }
        return try entries.map { entry in
            if entry.deleted { return (FeedChange(position: entry.seq, change: .deleted(entry.trip)), 0) }
            guard let (trip, bytes) = found[entry.trip] else {
                throw MongoFailure(message: "feed entry of a missing trip", corrupt: (.changeFeed, entry.trip.description))
            }
            return (FeedChange(position: entry.seq, change: .saved(trip)), bytes)
        }
    }

    /// Raises each reader's `purgedThrough` past their old tombstones before deleting them, so that a snapshot
    /// missing a tombstone also holds the horizon that expires cursors from before it; 10,000 tombstones at a time.
    public func purgeTombstones(deletedBefore date: Date) async throws -> Int {
        var purged = 0
        while true {
            let horizons = try await oldTombstoneHorizons(before: date, batch: 10_000)
            guard !horizons.isEmpty else { return purged }
            for (reader, horizon) in horizons {
                try await on("users") { users in
                    try users.updateOne(
                        BSONDocument(["_id": .id(reader)]),
                        BSONDocument(["$max": .document(BSONDocument(["purgedThrough": .int64(horizon)]))]))
                }
                purged += try await on("feed") { feed in
                    let passed = BSONDocument([
                        "readerId": .id(reader), "changeSeq": .document(BSONDocument(["$lte": .int64(horizon)])),
                        "deletedAt": .document(BSONDocument(["$lt": .date(date)])),
                    ])
                    return try feed.delete(passed, many: true)
                }
            }
        }
    }

    /// The newest change among up to `batch` tombstones from before `date`, by reader.
    private func oldTombstoneHorizons(before date: Date, batch: Int) async throws -> [OwnerID: Int64] {
        try await on("feed") { feed in
            let old = BSONDocument(["deletedAt": .document(BSONDocument(["$lt": .date(date)]))])
            let options = BSONDocument([
                "projection": .document(BSONDocument(["readerId": .int32(1), "changeSeq": .int32(1)])),
                "limit": .int64(Int64(batch)),
            ])
            var horizons: [OwnerID: Int64] = [:]
            for tombstone in try feed.find(old, options: options) {
                let fields = tombstone.fields
                guard let reader: OwnerID = fields.id("readerId"), let seq = fields.integer("changeSeq")
                else { throw MongoFailure.corrupt(.tombstone, fields, "malformed tombstone") }
                horizons[reader] = max(horizons[reader] ?? 0, Int64(seq))
            }
            return horizons
        }
    }
}
