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

    /// A token carries its user's name, whether issued or restored; one stored before the copy existed still works.
    @Test func aTokenCarriesItsUserAndOneWithoutTheCopyIsReadThroughTheUser() async throws {
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
            }
            #expect(try await store.user(tokenDigest: "older", at: .now) == user)
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
}
