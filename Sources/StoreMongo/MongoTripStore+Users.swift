import Foundation
import TripCore

/// An account's records go with it in one transaction, and every write that adds a record to an account first
/// writes the account's document in its own transaction, so the two conflict and one of them runs again: no
/// token, trip or share outlives its owner, even when a process dies part way.
extension MongoTripStore {
    public func createUser(username: String, passwordHash: String) async throws -> User {
        let now = clock.now
        let user = User(id: OwnerID(ObjectID(date: now)), username: username, createdAt: now)
        try await on("users") { users in
            do throws(MongoFailure) {
                try users.insert(Documents.user(id: user.id, username: username, passwordHash: passwordHash, createdAt: now))
            } catch {
                guard error.duplicateIndex == Self.usernameIndex else { throw error }
                throw StoreError.duplicateUsername
            }
        }
        return user
    }

    /// The unique index on a username's ASCII lower case.
    static let usernameIndex = "username_key_unique"

    public func account(username: String) async throws -> Account? {
        try await on("users") { users in
            try users.findOne(BSONDocument(["usernameKey": .string(Documents.usernameKey(username))])).map(Documents.account)
        }
    }

    /// Each member of the account's trips gets a tombstone of it, and the account leaves the trips it was a member of.
    public func deleteUser(_ id: OwnerID) async throws {
        let now = clock.now
        try await inTransaction { database in
            guard try database["users"].delete(BSONDocument(["_id": .id(id)])) == 1 else { throw StoreError.notFound(.account, id) }
            let owned = BSONDocument(["ownerId": .id(id)])
            let trips = database["trips"]
            let projection = BSONDocument(["projection": .document(BSONDocument(["members": .int32(1)]))])
            var ownedIDs: [BSONValue] = []
            for trip in try trips.find(owned, options: projection) {
                let fields = trip.fields
                guard let tripID: TripID = fields.id("_id") else { throw MongoFailure.corrupt(.trip, fields, "trip without _id") }
                ownedIDs.append(.id(tripID))
                for member in try Documents.members(fields) {
                    try Self.recordChange(of: tripID, for: member.id, deletedAt: now, in: database)
                }
            }
            if !ownedIDs.isEmpty {
                try database["invitations"].delete(BSONDocument(["tripId": .document(BSONDocument(["$in": .array(ownedIDs)]))]), many: true)
            }
            try trips.delete(owned, many: true)
            try trips.updateMany(
                BSONDocument(["members.u": .id(id)]),
                BSONDocument(["$pull": .document(BSONDocument(["members": .document(BSONDocument(["u": .id(id)]))]))]))
            try database["feed"].delete(BSONDocument(["readerId": .id(id)]), many: true)
            try database["shares"].delete(owned, many: true)
            try database["tokens"].delete(BSONDocument(["userId": .id(id)]), many: true)
        }
    }

    public func changePasswordHash(_ owner: OwnerID, to passwordHash: String) async throws {
        try await inTransaction { database in
            let matched = try database["users"].updateOne(
                BSONDocument(["_id": .id(owner)]),
                BSONDocument(["$set": .document(BSONDocument(["passwordHash": .string(passwordHash)]))]))
            guard matched == 1 else { throw StoreError.notFound(.account, owner) }
            try database["tokens"].delete(BSONDocument(["userId": .id(owner)]), many: true)
        }
    }

    /// Stores the token with its owner's name and creation time, so that a bearer request reads one document.
    public func saveToken(_ token: AccessToken, keepingNewest limit: Int) async throws {
        try await inTransaction { database in
            guard let owner = try Self.touchOwner(token.owner, in: database).map(Documents.account) else {
                throw StoreError.unknownOwner
            }
            let tokens = database["tokens"]
            try tokens.insert(Documents.token(token, user: owner.user))
            let oldest = try tokens.find(
                BSONDocument(["userId": .id(token.owner)]),
                options: BSONDocument([
                    "sort": .document(BSONDocument(["expiresAt": .int32(-1)])), "skip": .int64(Int64(limit)),
                    "projection": .document(BSONDocument(["_id": .int32(1)])),
                ]))
            let digests = oldest.compactMap { $0.fields.string("_id") }
            guard !digests.isEmpty else { return }
            try tokens.delete(
                BSONDocument(["_id": .document(BSONDocument(["$in": .array(digests.map { .string($0) })]))]), many: true)
        }
    }

    /// Writes the owner's document inside a transaction that adds one of their records, so that it conflicts with
    /// the account's deletion; the owner's document, or nil when there is no such owner.
    static func touchOwner(_ owner: OwnerID, in database: MongoDatabase) throws -> BSONDocument? {
        try database["users"].findOneAndUpdate(
            BSONDocument(["_id": .id(owner)]),
            BSONDocument(["$inc": .document(BSONDocument(["recordsAdded": .int64(1)]))]))
    }

    public func user(tokenDigest: String, at now: Date) async throws -> User? {
        try await on("tokens") { tokens in
            let filter = BSONDocument([
                "_id": .string(tokenDigest), "expiresAt": .document(BSONDocument(["$gt": .date(now)])),
            ])
            guard let token = try tokens.findOne(filter)?.fields else { return nil }
            guard let user = Documents.tokenUser(token) else { throw MongoFailure.corrupt(.token, nil, "malformed token document") }
            return user
        }
    }

    public func deleteToken(digest: String) async throws {
        try await on("tokens") { tokens in try tokens.delete(BSONDocument(["_id": .string(digest)])) }
    }
}
