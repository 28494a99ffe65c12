import Foundation
import TripCore

/// A batch is restored in one transaction, by `MongoRestore`.
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
                .audit: try transaction["audit"].count(BSONDocument(), limit: .max),
            ]
        }
    }

    public func archiveReader(_ kind: ArchiveRecord.Kind, at now: Date) -> any ArchivePageReader {
        MongoArchiveReader(store: self, kind: kind, now: now)
    }

    /// The record one document of `kind` holds.
    static func archiveRecord(_ kind: ArchiveRecord.Kind, _ document: BSONDocument) throws -> ArchiveRecord {
        let fields = document.fields
        switch kind {
        case .user:
            return .user(try Documents.account(document))
        case .token:
            guard let digest = fields.string("_id"), let owner: OwnerID = fields.id("userId"),
                let expiresAt = fields.date("expiresAt")
            else { throw MongoFailure.corrupt(.token, nil, "malformed token document") }
            return .token(AccessToken(digest: digest, owner: owner, expiresAt: expiresAt))
        case .trip:
            return .trip(try Documents.trip(document))
        case .share:
            guard let digest = fields.string("tokenDigest") else { throw MongoFailure.corrupt(.share, fields, "malformed share document") }
            return .share(try Documents.share(document), tokenDigest: digest)
        case .tombstone:
            guard let trip: TripID = fields.id("_id"), let owner: OwnerID = fields.id("ownerId"),
                let deletedAt = fields.date("deletedAt")
            else { throw MongoFailure.corrupt(.tombstone, fields, "malformed tombstone") }
            return .tombstone(Tombstone(trip: trip, owner: owner, deletedAt: deletedAt))
        case .audit:
            return .audit(try Documents.auditEvent(fields))
        }
    }

    static let archiveCollection: [ArchiveRecord.Kind: String] = [
        .user: "users", .token: "tokens", .trip: "trips", .share: "shares", .tombstone: "tombstones", .audit: "audit",
    ]

    /// The filter and the fields, ascending, that read every record of one kind in `archiveKey` order.
    static func archiveQuery(_ kind: ArchiveRecord.Kind, at now: Date) -> (filter: BSONDocument, sortKey: [String]) {
        switch kind {
        case .user, .trip, .tombstone, .audit:
            (BSONDocument(), ["_id"])
        case .token:
            (BSONDocument(["expiresAt": .document(BSONDocument(["$gt": .date(now)]))]), ["_id"])
        case .share:
            (BSONDocument(), ["tripId", "_id"])
        }
    }

    public func restore(_ records: [ArchiveRecord], accounts: AccountHashes) async throws {
        try await inTransaction { transaction in
            try MongoRestore(transaction: transaction, records: records, accounts: accounts).run()
        }
    }
}
