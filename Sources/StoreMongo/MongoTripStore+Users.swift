import Foundation
import TripCore

extension MongoTripStore {
    public func createUser(username: String, passwordHash: String) async throws -> User {
        let now = Date.storeNow
        let user = User(id: OwnerID(ObjectID(date: now)), username: username, createdAt: now)
        try await on("users") { users in
            try users.insert(Documents.user(id: user.id, username: username, passwordHash: passwordHash, createdAt: now))
        }
        return user
    }

    public func account(username: String) async throws -> Account? {
        try await on("users") { users in
            try users.findOne(BSONDocument(["usernameKey": .string(Documents.usernameKey(username))])).map(Documents.account)
        }
    }

    /// Removes the user first, so their credentials stop working at once, then their trips, tombstones, shares and tokens.
    public func deleteUser(_ id: OwnerID) async throws {
        let deleted = try await on("users") { users in try users.delete(BSONDocument(["_id": .id(id)])) }
        guard deleted == 1 else { throw StoreError.notFound }
        try await on("trips") { trips in try trips.delete(BSONDocument(["ownerId": .id(id)]), many: true) }
        try await on("tombstones") { tombstones in try tombstones.delete(BSONDocument(["ownerId": .id(id)]), many: true) }
        try await on("shares") { shares in try shares.delete(BSONDocument(["ownerId": .id(id)]), many: true) }
        try await on("tokens") { tokens in try tokens.delete(BSONDocument(["userId": .id(id)]), many: true) }
    }

    /// Sets the hash first, so the old password stops working at once, then removes the account's tokens.
    public func changePasswordHash(_ owner: OwnerID, to passwordHash: String) async throws {
        let matched = try await on("users") { users in
            try users.updateOne(
                BSONDocument(["_id": .id(owner)]),
                BSONDocument(["$set": .document(BSONDocument(["passwordHash": .string(passwordHash)]))]))
        }
        guard matched == 1 else { throw StoreError.notFound }
        try await on("tokens") { tokens in try tokens.delete(BSONDocument(["userId": .id(owner)]), many: true) }
    }

    public func saveToken(_ token: AccessToken, keepingNewest limit: Int) async throws {
        try await on("tokens") { tokens in
            try tokens.insert(BSONDocument([
                "_id": .string(token.digest), "userId": .id(token.owner), "expiresAt": .date(token.expiresAt),
            ]))
        }
        try await confirmOwner(token.owner, orRemove: { BSONDocument(["_id": .string(token.digest)]) }, from: "tokens")
        try await on("tokens") { tokens in
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

    /// Checks, after inserting a record, that its owner still has an account; if not, removes the record
    /// and throws `StoreError.unknownOwner`. `deleteUser` removes the account before the owner's records,
    /// so a record inserted while the owner is deleted is either removed by `deleteUser` or found here.
    func confirmOwner(
        _ owner: OwnerID, orRemove record: @escaping @Sendable () -> BSONDocument, from collection: String
    ) async throws {
        let exists = try await on("users") { users in try users.findOne(BSONDocument(["_id": .id(owner)])) != nil }
        guard !exists else { return }
        try await on(collection) { records in try records.delete(record()) }
        throw StoreError.unknownOwner
    }

    public func user(tokenDigest: String, at now: Date) async throws -> User? {
        let owner: OwnerID? = try await on("tokens") { tokens in
            let filter = BSONDocument([
                "_id": .string(tokenDigest), "expiresAt": .document(BSONDocument(["$gt": .date(now)])),
            ])
            return try tokens.findOne(filter)?.fields.id("userId")
        }
        guard let owner else { return nil }
        return try await on("users") { users in
            try users.findOne(BSONDocument(["_id": .id(owner)])).map { try Documents.account($0).user }
        }
    }

    public func deleteToken(digest: String) async throws {
        try await on("tokens") { tokens in try tokens.delete(BSONDocument(["_id": .string(digest)])) }
    }
}
