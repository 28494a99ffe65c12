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
                .member: try transaction["trips"].find(Self.withMembers, options: Self.membersOnly).reduce(0) { count, trip in
                    count + (try Documents.members(trip.fields).count)
                },
                .invitation: try transaction["invitations"].count(unexpired, limit: .max),
                .tombstone: try transaction["feed"].count(Self.ownersTombstones, limit: .max),
                .audit: try transaction["audit"].count(BSONDocument(), limit: .max),
            ]
        }
    }

    public func archiveReader(_ kind: ArchiveRecord.Kind, at now: Date) -> any ArchivePageReader {
        MongoArchiveReader(store: self, kind: kind, now: now)
    }

    /// The records a page of documents of `kind`, read by `archiveQuery`, holds: one each, but for memberships every
    /// member of each trip read, by member id, and for invitations each with its trip's owner.
    static func archiveRecords(_ kind: ArchiveRecord.Kind, _ documents: [BSONDocument], in database: MongoDatabase) throws -> [ArchiveRecord] {
        switch kind {
        case .member:
            return try documents.flatMap { trip -> [ArchiveRecord] in
                let fields = trip.fields
                guard let id: TripID = fields.id("_id"), let owner: OwnerID = fields.id("ownerId") else {
                    throw MongoFailure.corrupt(.trip, fields, "malformed trip document")
                }
                return try Documents.members(fields).sorted { $0.id < $1.id }.map {
                    .member(TripMembership(trip: id, owner: owner, member: $0.id, role: $0.role, joinedAt: $0.joinedAt))
                }
            }
        case .invitation:
            let invitations = try documents.map { (try Documents.invitation($0.fields), $0.fields.string("tokenDigest")) }
            let trips = Array(Set(invitations.map(\.0.trip))).map { BSONValue.id($0) }
            let owners = BSONDocument(["projection": .document(BSONDocument(["ownerId": .int32(1)]))])
            var ownerOf: [TripID: OwnerID] = [:]
            for trip in try database["trips"].find(BSONDocument(["_id": .document(BSONDocument(["$in": .array(trips)]))]), options: owners) {
                if let id: TripID = trip.fields.id("_id"), let owner: OwnerID = trip.fields.id("ownerId") { ownerOf[id] = owner }
            }
            return try invitations.map { invitation, digest in
                guard let digest, let owner = ownerOf[invitation.trip] else {
                    throw StoreError.corrupt(.invitation, invitation.id, "invitation without a token digest or a trip")
                }
                return .invitation(invitation, owner: owner, tokenDigest: digest)
            }
        default:
            return try documents.map { try archiveRecord(kind, $0) }
        }
    }

    /// The record one document of `kind` holds.
    private static func archiveRecord(_ kind: ArchiveRecord.Kind, _ document: BSONDocument) throws -> ArchiveRecord {
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
            guard let trip: TripID = fields.id("tripId"), let owner: OwnerID = fields.id("readerId"),
                let deletedAt = fields.date("deletedAt")
            else { throw MongoFailure.corrupt(.tombstone, fields, "malformed tombstone") }
            return .tombstone(Tombstone(trip: trip, owner: owner, deletedAt: deletedAt))
        case .audit:
            return .audit(try Documents.auditEvent(fields))
        case .member, .invitation:
            throw MongoFailure(message: "\(kind) records are read by archiveRecords")
        }
    }

    static let archiveCollection: [ArchiveRecord.Kind: String] = [
        .user: "users", .token: "tokens", .trip: "trips", .share: "shares", .member: "trips", .invitation: "invitations",
        .tombstone: "feed", .audit: "audit",
    ]

    /// The filter and the fields, ascending, that read every record of one kind in `archiveKey` order.
    static func archiveQuery(_ kind: ArchiveRecord.Kind, at now: Date) -> (filter: BSONDocument, sortKey: [String]) {
        switch kind {
        case .user, .trip, .audit:
            (BSONDocument(), ["_id"])
        case .tombstone:
            (ownersTombstones, ["tripId"])
        case .token:
            (BSONDocument(["expiresAt": .document(BSONDocument(["$gt": .date(now)]))]), ["_id"])
        case .share:
            (BSONDocument(), ["tripId", "_id"])
        case .member:
            (withMembers, ["_id"])
        case .invitation:
            (BSONDocument(["expiresAt": .document(BSONDocument(["$gt": .date(now)]))]), ["tripId", "_id"])
        }
    }

    /// The archive reads memberships from the trips that have members.
    static var withMembers: BSONDocument {
        BSONDocument(["members.0": .document(BSONDocument(["$exists": .bool(true)]))])
    }

    /// What the archive reads of a trip for its memberships.
    static var memberFields: BSONDocument { BSONDocument(["members": .int32(1), "ownerId": .int32(1)]) }

    static var membersOnly: BSONDocument { BSONDocument(["projection": .document(memberFields)]) }

    /// The feed entries an archive keeps: the owners' tombstones, one a deleted trip; members' are not archived yet.
    static var ownersTombstones: BSONDocument {
        BSONDocument(["deletedAt": .document(BSONDocument(["$exists": .bool(true)])), "ownsTrip": .bool(true)])
    }

    public func restore(_ records: [ArchiveRecord], accounts: AccountHashes) async throws {
        try await inTransaction { transaction in
            try MongoRestore(transaction: transaction, records: records, accounts: accounts).run()
        }
    }
}
