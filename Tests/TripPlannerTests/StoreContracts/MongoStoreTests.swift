import Foundation
@testable import StoreMongo
import Testing
import TripCore

/// What only the MongoDB store has to do: bring documents stored by earlier versions up to date at start.
@Suite(.disabled(if: Backend.skipsMongo, "SKIP_MONGODB=1 leaves MongoDB out"))
struct MongoStoreTests {
    @Test func theURLsMaxPoolSizeSizesTheThreadsAndClientsUnlessTheStoreIsGivenANumber() async throws {
        let url = try await Backend.requireMongo()
        for (query, threads, expected) in [("?maxPoolSize=3", nil, 3), ("", nil, MongoTripStore.defaultThreads), ("?maxPoolSize=3", 5, 5)] {
            let store = try MongoTripStore(url: "\(url)/sizing\(query)", threads: threads)
            #expect(store.clients.maxClients == expected, "\(query), \(String(describing: threads))")
            try await store.close()
        }
    }

    /// A document this code cannot read is one error naming its kind and id, the same as SQLite's: an export stops
    /// on it rather than leaving it out, and a read of it is a fault.
    @Test func aTripDocumentMissingItsNameIsACorruptRecordNamedByItsID() async throws {
        try await Backend.mongo.withStore { store in
            let store = try #require(store as? MongoTripStore)
            let user = try await store.createUser(username: "alice", passwordHash: "h")
            let mangled = TripID()
            try await store.on("trips") { trips in
                try trips.insert(BSONDocument([
                    "_id": .id(mangled), "ownerId": .id(user.id), "version": .int64(1),
                    "createdAt": .date(.storeNow), "updatedAt": .date(.storeNow), "waypoints": .array([]),
                ]))
            }
            for read in [{ _ = try await ArchiveContractTests.export(store) }, { _ = try await store.trip(mangled, reader: user.id) }] {
                let failure = await #expect(throws: StoreError.self) { try await read() }
                #expect(failure?.code == .corrupt)
                #expect(failure?.record == .trip)
                #expect(failure?.id == mangled.description)
            }
        }
    }

    /// A token carries its user's name, whether issued or restored; one stored before the copy existed gets it when
    /// the schema is brought up to date, and one whose user is gone goes.
    @Test func aTokenCarriesItsUserAndOneStoredWithoutTheCopyGetsItByMigration() async throws {
        try await Backend.mongo.withStore { store in
            let store = try #require(store as? MongoTripStore)
            let user = try await store.createUser(username: "alice", passwordHash: "h")
            let expiry = Date.storeNow.addingTimeInterval(3600)
            try await store.saveToken(AccessToken(digest: "issued", owner: user.id, expiresAt: expiry))
            try await store.restore([.token(AccessToken(digest: "restored", owner: user.id, expiresAt: expiry))], hash: "h")
            for digest in ["issued", "restored"] {
                let copy = try await store.on("tokens") { tokens in try tokens.findOne(BSONDocument(["_id": .string(digest)]))?.fields.string("username") }
                #expect(copy == "alice", "\(digest)")
            }
            try await store.on("tokens") { tokens in
                try tokens.insert(BSONDocument(["_id": .string("older"), "userId": .id(user.id), "expiresAt": .date(expiry)]))
                try tokens.insert(BSONDocument(["_id": .string("orphan"), "userId": .id(OwnerID()), "expiresAt": .date(expiry)]))
            }
            try await Self.forgetMigrations(store)
            try await store.prepare()
            let copy = try await store.on("tokens") { tokens in try tokens.findOne(BSONDocument(["_id": .string("older")]))?.fields.string("username") }
            #expect(copy == "alice")
            #expect(try await store.user(tokenDigest: "older", at: .now) == user)
            #expect(try await store.user(tokenDigest: "orphan", at: .now) == nil)
        }
    }

    @Test func tripsStoredBeforeTheFeedAreNumberedOldestFirstAndCounted() async throws {
        try await Backend.mongo.withStore { store in
            let store = try #require(store as? MongoTripStore)
            let owner = OwnerID(ObjectID(date: .now))
            let stamp = Date(milliseconds: Date.storeNow.milliseconds)
            try await store.on("users") { users in
                try users.insert(BSONDocument([
                    "_id": .id(owner), "username": .string("alice"), "usernameKey": .string("alice"),
                    "passwordHash": .string("h"), "createdAt": .date(stamp),
                ]))
            }
            for (name, age) in [("newer", 10.0), ("older", 20.0)] {
                try await store.on("trips") { trips in
                    try trips.insert(BSONDocument([
                        "_id": .id(TripID(ObjectID(date: .now))), "ownerId": .id(owner), "name": .string(name),
                        "waypoints": .array([]), "createdAt": .date(stamp), "updatedAt": .date(stamp.addingTimeInterval(-age)),
                        "version": .int64(1),
                    ]))
                }
            }
            try await Self.forgetMigrations(store)
            try await store.prepare()
            let page = try await store.changes(owner: owner, since: nil)
            #expect(page.changes.map { if case .saved(let trip) = $0 { trip.name } else { "deleted" } } == ["older", "newer"])
            await #expect(throws: StoreError.tripLimitReached) {
                try await store.createTrip(TripDraft(name: "third", waypoints: []), owner: owner, limit: 2)
            }
            let third = try await store.createTrip(TripDraft(name: "third", waypoints: []), owner: owner, limit: 3)
            #expect(try await store.changes(owner: owner, since: page.cursor).changes == [.saved(third)])
        }
    }

    /// Trips numbered in their owner's feed and tombstones in their own collection, as before members, become feed
    /// entries; the trips get their owner's name and no members, and the tombstone is still archived.
    @Test func aFeedKeptInTripsAndTombstonesMovesIntoFeedEntries() async throws {
        try await Backend.mongo.withStore { store in
            let store = try #require(store as? MongoTripStore)
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let kept = TripID(ObjectID(date: .now))
            let gone = TripID(ObjectID(date: .now))
            let stamp = Date(milliseconds: Date.storeNow.milliseconds)
            try await store.withDatabase { database in
                try database["trips"].insert(BSONDocument([
                    "_id": .id(kept), "ownerId": .id(owner), "name": .string("kept"), "waypoints": .array([]),
                    "createdAt": .date(stamp), "updatedAt": .date(stamp), "version": .int64(1), "changeSeq": .int64(2),
                ]))
                try database["tombstones"].insert(BSONDocument([
                    "_id": .id(gone), "ownerId": .id(owner), "changeSeq": .int64(1), "deletedAt": .date(stamp),
                ]))
                try database["users"].updateOne(
                    BSONDocument(["_id": .id(owner)]),
                    BSONDocument(["$set": .document(BSONDocument(["changeSeq": .int64(2), "tripCount": .int64(1)]))]))
                try database["migrations"].delete(
                    BSONDocument(["_id": .document(BSONDocument(["$in": .array([
                        .string("name owners and members in trips"), .string("keep each reader's feed in feed entries"),
                    ])]))]), many: true)
            }
            #expect(try await store.migrate() == ["name owners and members in trips", "keep each reader's feed in feed entries"])
            let trip = try await store.trip(kept, reader: owner)
            #expect(trip.access == TripAccess(ownerName: "alice", role: .owner))
            let page = try await store.changes(owner: owner, since: ChangeCursor(feed: store.changeFeed.load(ordering: .relaxed), position: 0))
            #expect(page.changes == [.deleted(gone), .saved(trip)])
            #expect(page.positions == [1, 2])
            #expect(try await ArchiveContractTests.export(store).contains(.tombstone(Tombstone(trip: gone, owner: owner, deletedAt: stamp))))
            #expect(try await store.members(of: kept, reader: owner).map(\.username) == ["alice"])
        }
    }

    /// Makes the database look as one made before migrations were recorded.
    static func forgetMigrations(_ store: MongoTripStore) async throws {
        try await store.on("migrations") { migrations in try migrations.delete(BSONDocument(), many: true) }
    }

    static func recordedMigrations(_ store: MongoTripStore) async throws -> [String] {
        try await store.on("migrations") { migrations in
            try migrations.find(BSONDocument(), options: BSONDocument(["sort": .document(BSONDocument(["appliedAt": .int32(1)]))]))
                .compactMap { $0.fields.string("_id") }
        }
    }

    /// A fresh database records every step once; a second start runs none, so it leaves an old-shaped user as it is.
    @Test func aFreshDatabaseRunsEveryMigrationOnceAndALaterStartRunsNone() async throws {
        try await Backend.mongo.withStore { store in
            let store = try #require(store as? MongoTripStore)
            #expect(Set(try await Self.recordedMigrations(store)) == Set(MongoTripStore.migrations.map(\.name)))
            #expect(try await Self.recordedMigrations(store).count == MongoTripStore.migrations.count)
            let unkeyed = OwnerID()
            try await store.on("users") { users in
                try users.insert(BSONDocument([
                    "_id": .id(unkeyed), "username": .string("Old"), "passwordHash": .string("h"), "createdAt": .date(.storeNow),
                ]))
            }
            try await store.prepare()
            let key = try await store.on("users") { users in try users.findOne(BSONDocument(["_id": .id(unkeyed)]))?.fields.string("usernameKey") }
            #expect(key == nil, "a start on an up-to-date database ran a fix-up")
        }
    }

    /// Two processes starting on one new database both come up, and each step is recorded once.
    @Test func twoStoresMigratingOneDatabaseTogetherBothSucceed() async throws {
        let database = "\(try #require(Backend.mongoURL))/migrate_\(UUID().uuidString.prefix(12))"
        let first = try MongoTripStore(url: database, threads: 2)
        let second = try MongoTripStore(url: database, threads: 2)
        async let firstReady: Void = first.prepare()
        async let secondReady: Void = second.prepare()
        _ = try await (firstReady, secondReady)
        #expect(first.changeFeed.load(ordering: .relaxed) == second.changeFeed.load(ordering: .relaxed))
        #expect(try await Self.recordedMigrations(first).count == MongoTripStore.migrations.count)
        let user = try await first.createUser(username: "alice", passwordHash: "h")
        await #expect(throws: StoreError.duplicateUsername) { try await second.createUser(username: "ALICE", passwordHash: "h") }
        #expect(try await second.account(username: "alice")?.user == user)
        try await first.dropDatabase()
        try await first.close()
        try await second.close()
    }
}
