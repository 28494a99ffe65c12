import Foundation
import TripCore

/// A batch is restored in one transaction. Records that may clash one by one (users, shares) are inserted one at a
/// time so that a clash names its record; the rest are looked up together and inserted in one call per kind.
extension MongoTripStore: ArchivableStore {
    public func archiveCounts(at now: Date) async throws -> [ArchiveRecord.Kind: Int] {
        try await inTransaction(snapshot: true) { transaction in
            let unexpired = BSONDocument(["expiresAt": .document(BSONDocument(["$gt": .date(now)]))])
            return [
                .user: try transaction["users"].count(BSONDocument(), limit: .max),
                .token: try transaction["tokens"].count(unexpired, limit: .max),
                .trip: try transaction["trips"].count(BSONDocument(), limit: .max),
                .share: try transaction["shares"].count(BSONDocument(), limit: .max),
                .tombstone: try transaction["tombstones"].count(BSONDocument(), limit: .max),
            ]
        }
    }

    public func archivedRecords(
        _ kind: ArchiveRecord.Kind, after key: String?, limit: Int, at now: Date
    ) async throws -> [ArchiveRecord] {
        try await on(Self.archiveCollection[kind]!) { records in
            let (filter, order) = Self.archiveQuery(kind, after: key, at: now)
            let options = BSONDocument(["sort": .document(order), "limit": .int64(Int64(limit))])
            return try records.find(filter, options: options).map { document in
                let fields = document.fields
                switch kind {
                case .user:
                    return .user(try Documents.account(document))
                case .token:
                    guard let digest = fields.string("_id"), let owner: OwnerID = fields.id("userId"),
                        let expiresAt = fields.date("expiresAt")
                    else { throw MongoFailure(message: "malformed token document") }
                    return .token(AccessToken(digest: digest, owner: owner, expiresAt: expiresAt))
                case .trip:
                    return .trip(try Documents.trip(document))
                case .share:
                    guard let digest = fields.string("tokenDigest") else { throw MongoFailure(message: "malformed share document") }
                    return .share(try Documents.share(document), tokenDigest: digest)
                case .tombstone:
                    guard let trip: TripID = fields.id("_id"), let owner: OwnerID = fields.id("ownerId"),
                        let deletedAt = fields.date("deletedAt")
                    else { throw MongoFailure(message: "malformed tombstone") }
                    return .tombstone(Tombstone(trip: trip, owner: owner, deletedAt: deletedAt))
                }
            }
        }
    }

    private static let archiveCollection: [ArchiveRecord.Kind: String] = [
        .user: "users", .token: "tokens", .trip: "trips", .share: "shares", .tombstone: "tombstones",
    ]

    /// The filter and sort that page through one kind after `key`.
    private static func archiveQuery(
        _ kind: ArchiveRecord.Kind, after key: String?, at now: Date
    ) -> (BSONDocument, BSONDocument) {
        let byID = BSONDocument(["_id": .int32(1)])
        func after(_ field: String, _ value: BSONValue?) -> BSONDocument {
            value.map { BSONDocument([field: .document(BSONDocument(["$gt": $0]))]) } ?? BSONDocument()
        }
        let id = key.flatMap(ObjectID.init).map(BSONValue.objectID)
        switch kind {
        case .user, .trip, .tombstone: return (after("_id", id), byID)
        case .token:
            let filter = after("_id", key.map(BSONValue.string))
            filter.append("expiresAt", .document(BSONDocument(["$gt": .date(now)])))
            return (filter, byID)
        case .share:
            let order = BSONDocument(["tripId": .int32(1), "_id": .int32(1)])
            guard let key, let trip = ObjectID(String(key.prefix(24))), let share = ObjectID(String(key.dropFirst(24))) else {
                return (BSONDocument(), order)
            }
            let later = BSONDocument(["tripId": .objectID(trip), "_id": .document(BSONDocument(["$gt": .objectID(share)]))])
            let filter = BSONDocument([
                "$or": .array([.document(BSONDocument(["tripId": .document(BSONDocument(["$gt": .objectID(trip)]))])), .document(later)])
            ])
            return (filter, order)
        }
    }

    public func restore(_ records: [ArchiveRecord]) async throws {
        try await inTransaction { transaction in
            var restorer = MongoRestore(transaction: transaction, records: records)
            try restorer.run()
        }
    }
}
