import CMongoc
import Foundation
import TripCore

/// A step of the schema's history; `run` must be idempotent, since two processes starting together may both run it.
struct MongoMigration: Sendable {
    let name: String
    let run: @Sendable (MongoTripStore) async throws -> Void
}

/// The schema's history, like GRDB's `DatabaseMigrator`: steps run once each, in order, and recorded by name in the
/// `migrations` collection, so that a start on an up-to-date database reads that list and nothing else. A database
/// made before steps were recorded runs them all; each accepts what earlier versions left.
extension MongoTripStore {
    static let migrations: [MongoMigration] = [
        MongoMigration(name: "create indexes", run: { try await $0.createIndexes() }),
        MongoMigration(name: "drop the shares index on trip alone", run: { try await $0.dropIndex("trip", of: "shares") }),
        MongoMigration(name: "key usernames without case", run: { try await $0.keyUsernamesWithoutCase() }),
        MongoMigration(name: "drop the username index on spelling", run: { try await $0.dropIndex("username_unique", of: "users") }),
        MongoMigration(name: "name the change feed and number earlier trips", run: { try await $0.numberChanges() }),
        MongoMigration(name: "copy users into their tokens", run: { try await $0.copyUsersIntoTokens() }),
        MongoMigration(name: "index the audit trail by time", run: { try await $0.indexAuditTrail() }),
        MongoMigration(name: "name owners and members in trips", run: { try await $0.nameOwnersAndMembers() }),
        MongoMigration(name: "keep each reader's feed in feed entries", run: { try await $0.moveFeedIntoEntries() }),
    ]

    /// Runs the steps not yet recorded, in order, and records each; returns their names.
    @discardableResult
    func migrate() async throws -> [String] {
        let recorded = Set(try await on("migrations") { migrations in
            try migrations.find(BSONDocument()).compactMap { $0.fields.string("_id") }
        })
        var ran: [String] = []
        for step in Self.migrations where !recorded.contains(step.name) {
            try await step.run(self)
            let appliedAt = clock.now
            try await on("migrations") { migrations in
                do throws(MongoFailure) {
                    try migrations.updateOne(
                        BSONDocument(["_id": .string(step.name)]),
                        BSONDocument(["$setOnInsert": .document(BSONDocument(["appliedAt": .date(appliedAt)]))]), upsert: true)
                } catch where error.isDuplicateKey {
                    // Another process recorded it first.
                }
            }
            ran.append(step.name)
        }
        return ran
    }

    private func createIndexes() async throws {
        try await withDatabase { database in
            try Self.createIndexes(in: database, collection: "trips", [
                Self.index("owner_id", ["ownerId", "_id"]), Self.index("owner_change", ["ownerId", "changeSeq"]),
            ])
            try Self.createIndexes(in: database, collection: "tombstones", [
                Self.index("owner_change", ["ownerId", "changeSeq"]), Self.index("deleted_at", ["deletedAt"]),
            ])
            try Self.createIndexes(in: database, collection: "shares", [
                Self.index("token_unique", ["tokenDigest"], unique: true), Self.index("trip_share", ["tripId", "_id"]),
            ])
            let expiry = Self.index("expiry_ttl", ["expiresAt"])
            expiry.append("expireAfterSeconds", .int32(0))
            try Self.createIndexes(in: database, collection: "tokens", [expiry, Self.index("user", ["userId"])])
            let window = Self.index("window_ttl", ["windowEnds"])
            window.append("expireAfterSeconds", .int32(0))
            try Self.createIndexes(in: database, collection: "attempts", [window])
        }
    }

    static func index(_ name: String, _ fields: [String], unique: Bool = false) -> BSONDocument {
        let key = BSONDocument()
        for field in fields { key.append(field, .int32(1)) }
        let index = BSONDocument(["key": .document(key), "name": .string(name)])
        if unique { index.append("unique", .bool(true)) }
        return index
    }

    static func createIndexes(
        in database: MongoDatabase, collection: String, _ indexes: [BSONDocument]
    ) throws(MongoFailure) {
        let command = BSONDocument(["createIndexes": .string(collection), "indexes": .array(indexes.map { .document($0) })])
        try Self.command(command, in: database)
    }

    private static func command(_ command: BSONDocument, in database: MongoDatabase) throws(MongoFailure) {
        let reply = BSONDocument.reply()
        try withExtendedLifetime(command) { () throws(MongoFailure) in
            try checked {
                mongoc_client_write_command_with_opts(database.client, database.name, command.pointer, nil, reply.pointer, $0)
            }
        }
    }

    /// Drops an index that a wider one replaced, if it is still there.
    private func dropIndex(_ name: String, of collection: String) async throws {
        try await withDatabase { database in try Self.dropIndex(name, of: collection, in: database) }
    }

    static func dropIndex(_ name: String, of collection: String, in database: MongoDatabase) throws(MongoFailure) {
        do throws(MongoFailure) {
            try command(BSONDocument(["dropIndexes": .string(collection), "index": .string(name)]), in: database)
        } catch {
            guard error.code == indexNotFound || error.code == namespaceNotFound else { throw error }
        }
    }

    /// Drops a collection no step reads any more, if it is still there.
    static func drop(_ collection: String, in database: MongoDatabase) throws(MongoFailure) {
        do throws(MongoFailure) {
            try command(BSONDocument(["drop": .string(collection)]), in: database)
        } catch {
            guard error.code == namespaceNotFound else { throw error }
        }
    }

    private static let namespaceNotFound: UInt32 = 26
    private static let indexNotFound: UInt32 = 27

    /// Gives each user the `usernameKey` a unique index holds, for users stored before it existed; refuses
    /// to guess when two names differ only in case.
    private func keyUsernamesWithoutCase() async throws {
        try await withDatabase { database in
            let users = database["users"]
            let unkeyed = BSONDocument(["usernameKey": .document(BSONDocument(["$exists": .bool(false)]))])
            for user in try users.find(unkeyed) {
                guard let id: OwnerID = user.fields.id("_id"), let username = user.fields.string("username") else { continue }
                let key = BSONDocument(["usernameKey": .string(Documents.usernameKey(username))])
                try users.updateOne(BSONDocument(["_id": .id(id)]), BSONDocument(["$set": .document(key)]))
            }
            do {
                try Self.createIndexes(in: database, collection: "users", [Self.index(Self.usernameIndex, ["usernameKey"], unique: true)])
            } catch let failure as MongoFailure where failure.isDuplicateKey {
                let names = try users.find(BSONDocument()).compactMap { $0.fields.string("username") }
                let clashes = Dictionary(grouping: names, by: Documents.usernameKey).values.filter { $0.count > 1 }
                throw SetupRefusal(
                    "usernames must be unique without regard to ASCII case, but these differ only in case: "
                        + clashes.map { $0.sorted().joined(separator: ", ") }.sorted().joined(separator: "; ")
                        + ". Rename all but one of each, then start again.")
            }
        }
    }

    /// Names this database's feed, once for good, and numbers the trips of users stored before it existed, oldest
    /// first; a user another process numbered meanwhile is left as it is.
    private func numberChanges() async throws {
        try await on("meta") { meta in
            let name = BSONDocument(["feed": .int64(.random(in: .min ... .max))])
            try meta.updateOne(
                BSONDocument(["_id": .string("changeFeed")]), BSONDocument(["$setOnInsert": .document(name)]), upsert: true)
        }
        let owners: [OwnerID] = try await on("users") { users in
            let unnumbered = BSONDocument(["changeSeq": .document(BSONDocument(["$exists": .bool(false)]))])
            return try users.find(unnumbered).compactMap { $0.fields.id("_id") }
        }
        for owner in owners {
            try await inTransaction { transaction in
                let trips = transaction["trips"]
                let oldestFirst = BSONDocument(["sort": .document(BSONDocument(["updatedAt": .int32(1), "_id": .int32(1)]))])
                let ids: [TripID] = try trips.find(BSONDocument(["ownerId": .id(owner)]), options: oldestFirst)
                    .compactMap { $0.fields.id("_id") }
                let counts = BSONDocument([
                    "changeSeq": .int64(Int64(ids.count)), "tripCount": .int64(Int64(ids.count)), "purgedThrough": .int64(0),
                ])
                let filter = BSONDocument(["_id": .id(owner)])
                filter.append("changeSeq", .document(BSONDocument(["$exists": .bool(false)])))
                guard try transaction["users"].updateOne(filter, BSONDocument(["$set": .document(counts)])) == 1 else { return }
                for (index, id) in ids.enumerated() {
                    let seq = BSONDocument(["changeSeq": .int64(Int64(index + 1))])
                    try trips.updateOne(BSONDocument(["_id": .id(id)]), BSONDocument(["$set": .document(seq)]))
                }
            }
        }
    }

    private func indexAuditTrail() async throws {
        try await withDatabase { database in
            try Self.createIndexes(in: database, collection: "audit", [Self.index("at_id", ["at", "_id"])])
        }
    }

    /// Gives tokens stored before they carried a copy of their user's name and creation time that copy; a token
    /// whose user is gone goes too.
    private func copyUsersIntoTokens() async throws {
        try await withDatabase { database in
            let tokens = database["tokens"]
            let uncopied = BSONDocument(["username": .document(BSONDocument(["$exists": .bool(false)]))])
            for token in try tokens.find(uncopied) {
                guard let digest = token.fields.string("_id") else { throw MongoFailure.corrupt(.token, nil, "malformed token document") }
                let named = BSONDocument(["_id": .string(digest)])
                guard let owner: OwnerID = token.fields.id("userId"),
                    let user = try database["users"].findOne(BSONDocument(["_id": .id(owner)])).map({ try Documents.account($0).user })
                else {
                    try tokens.delete(named)
                    continue
                }
                let copy = BSONDocument(["username": .string(user.username), "userCreatedAt": .date(user.createdAt)])
                try tokens.updateOne(named, BSONDocument(["$set": .document(copy)]))
            }
        }
    }
}
