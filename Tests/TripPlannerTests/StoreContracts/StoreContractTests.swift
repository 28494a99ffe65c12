import Foundation
import Testing
import TripCore

/// What every `TripStore` promises, run against each backend.
@Suite struct StoreContractTests {
    let paris = Waypoint(name: "Paris", latitude: 48.8566, longitude: 2.3522)
    let rome = Waypoint(name: "Rome", latitude: 41.9028, longitude: 12.4964)

    @Test(arguments: Backend.all)
    func createsAndFindsAccounts(backend: Backend) async throws {
        try await backend.withStore { store in
            let user = try await store.createUser(username: "alice", passwordHash: "hash-a")
            #expect(user.username == "alice")
            #expect(user.id.description.count == 24)
            let account = try #require(try await store.account(username: "alice"))
            #expect(account.user == user)
            #expect(account.passwordHash == "hash-a")
            #expect(try await store.account(username: "bob") == nil)
            #expect(try await store.account(username: "ALICE")?.user == user, "usernames match in any ASCII case")
        }
    }

    @Test(arguments: Backend.all)
    func rejectsDuplicateUsernames(backend: Backend) async throws {
        try await backend.withStore { store in
            _ = try await store.createUser(username: "alice", passwordHash: "h")
            await #expect(throws: StoreError.duplicateUsername) {
                try await store.createUser(username: "alice", passwordHash: "other")
            }
            await #expect(throws: StoreError.duplicateUsername) {
                try await store.createUser(username: "Alice", passwordHash: "other")
            }
            #expect(try await store.account(username: "alice")?.passwordHash == "h")
        }
    }

    /// Share and token digests are random and unique; a clash is a fault to log, never "username taken".
    @Test(arguments: Backend.all)
    func aClashOfAnotherUniqueKeyIsNotATakenUsername(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(TripDraft(name: "Shared", waypoints: []), owner: owner)
            let first = Share(trip: trip.id, owner: owner, expiresAt: nil)
            try await store.createShare(first, tokenDigest: "same")
            let shareClash = await #expect(throws: (any Error).self) {
                try await store.createShare(Share(trip: trip.id, owner: owner, expiresAt: nil), tokenDigest: "same")
            }
            #expect(shareClash != nil && !(shareClash is StoreError), "\(String(describing: shareClash))")
            #expect(try await store.shares(of: trip.id, owner: owner) == [first])

            let token = AccessToken(digest: "same", owner: owner, expiresAt: .now + 60)
            try await store.saveToken(token)
            let tokenClash = await #expect(throws: (any Error).self) { try await store.saveToken(token) }
            #expect(tokenClash != nil && !(tokenClash is StoreError), "\(String(describing: tokenClash))")
            #expect(try await store.user(tokenDigest: "same", at: .now)?.id == owner)
        }
    }

    @Test(arguments: Backend.all)
    func keepsTripsWithWaypointsInOrder(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let draft = TripDraft(name: "Grand $tour.", waypoints: [rome, paris, rome])
            let created = try await store.createTrip(draft, owner: owner)
            #expect(created.version == 1)
            #expect(created.createdAt == created.updatedAt)
            let read = try await store.trip(created.id, reader: owner)
            #expect(read == created)
            #expect(read.waypoints == [rome, paris, rome])
            #expect(read.name == "Grand $tour.")
        }
    }

    @Test(arguments: Backend.all)
    func scopesEveryTripOperationToItsOwner(backend: Backend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createUser(username: "alice", passwordHash: "h").id
            let bob = try await store.createUser(username: "bob", passwordHash: "h").id
            let trip = try await store.createTrip(TripDraft(name: "Alice's", waypoints: [paris]), owner: alice)
            await #expect(throws: StoreError.notFound) { try await store.trip(trip.id, reader: bob) }
            await #expect(throws: StoreError.notFound) {
                try await store.replaceTrip(trip.id, editor: bob, with: TripDraft(name: "x", waypoints: []), expectedVersion: nil)
            }
            await #expect(throws: StoreError.notFound) { try await store.deleteTrip(trip.id, owner: bob) }
            #expect(try await store.trips(owner: bob, after: nil, limit: 10).isEmpty)
            #expect(try await store.trip(trip.id, reader: alice) == trip)
        }
    }

    @Test(arguments: Backend.all)
    func pagesTripsInIDOrder(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let other = try await store.createUser(username: "bob", passwordHash: "h").id
            var ids: [TripID] = []
            for i in 0..<7 {
                ids.append(try await store.createTrip(TripDraft(name: "t\(i)", waypoints: []), owner: owner).id)
                _ = try await store.createTrip(TripDraft(name: "b\(i)", waypoints: []), owner: other)
            }
            let first = try await store.trips(owner: owner, after: nil, limit: 3)
            let second = try await store.trips(owner: owner, after: first.last?.id, limit: 3)
            let third = try await store.trips(owner: owner, after: second.last?.id, limit: 3)
            #expect((first + second + third).map(\.id) == ids.sorted())
            #expect(third.count == 1)
        }
    }

    @Test(arguments: Backend.all)
    func replacesWithVersionCheck(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(TripDraft(name: "v1", waypoints: [paris]), owner: owner)
            let second = try await store.replaceTrip(
                trip.id, editor: owner, with: TripDraft(name: "v2", waypoints: [rome]), expectedVersion: 1)
            #expect(second.version == 2)
            #expect(second.waypoints == [rome])
            #expect(second.createdAt == trip.createdAt)
            await #expect(throws: StoreError.versionConflict) {
                try await store.replaceTrip(trip.id, editor: owner, with: TripDraft(name: "stale", waypoints: []), expectedVersion: 1)
            }
            let third = try await store.replaceTrip(
                trip.id, editor: owner, with: TripDraft(name: "v3", waypoints: []), expectedVersion: nil)
            #expect(third.version == 3)
            #expect(try await store.trip(trip.id, reader: owner) == third)
        }
    }

    @Test(arguments: Backend.all)
    func deletesTrips(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(TripDraft(name: "gone", waypoints: []), owner: owner)
            try await store.deleteTrip(trip.id, owner: owner)
            await #expect(throws: StoreError.notFound) { try await store.trip(trip.id, reader: owner) }
            await #expect(throws: StoreError.notFound) { try await store.deleteTrip(trip.id, owner: owner) }
        }
    }

    @Test(arguments: Backend.all)
    func deletingAUserDeletesTheirTripsAndTokens(backend: Backend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createUser(username: "alice", passwordHash: "h").id
            let bob = try await store.createUser(username: "bob", passwordHash: "h").id
            let trip = try await store.createTrip(TripDraft(name: "a", waypoints: []), owner: alice)
            let bobs = try await store.createTrip(TripDraft(name: "b", waypoints: []), owner: bob)
            try await store.saveToken(AccessToken(digest: "d-alice", owner: alice, expiresAt: .now + 60))
            try await store.deleteUser(alice)
            #expect(try await store.account(username: "alice") == nil)
            #expect(try await store.user(tokenDigest: "d-alice", at: .now) == nil)
            await #expect(throws: StoreError.notFound) { try await store.trip(trip.id, reader: alice) }
            #expect(try await store.trip(bobs.id, reader: bob) == bobs)
            let again = try await store.createUser(username: "alice", passwordHash: "h2")
            #expect(again.id != alice)
        }
    }

    @Test(arguments: Backend.all)
    func findsOnlyUnexpiredTokens(backend: Backend) async throws {
        try await backend.withStore { store in
            let user = try await store.createUser(username: "alice", passwordHash: "h")
            let expiry = Date.storeNow + 60
            try await store.saveToken(AccessToken(digest: "live", owner: user.id, expiresAt: expiry))
            #expect(try await store.user(tokenDigest: "live", at: .now) == user)
            #expect(try await store.user(tokenDigest: "live", at: expiry + 1) == nil)
            #expect(try await store.user(tokenDigest: "other", at: .now) == nil)
            try await store.deleteToken(digest: "live")
            #expect(try await store.user(tokenDigest: "live", at: .now) == nil)
        }
    }

    @Test(arguments: Backend.all)
    func answersWhenAvailable(backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.checkAvailability()
        }
    }

    @Test(arguments: Backend.all)
    func changingAPasswordHashRevokesEveryTokenOfTheAccount(backend: Backend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createUser(username: "alice", passwordHash: "old")
            let bob = try await store.createUser(username: "bob", passwordHash: "h")
            for digest in ["a1", "a2"] { try await store.saveToken(AccessToken(digest: digest, owner: alice.id, expiresAt: .now + 60)) }
            try await store.saveToken(AccessToken(digest: "b1", owner: bob.id, expiresAt: .now + 60))
            try await store.changePasswordHash(alice.id, to: "new")
            #expect(try await store.account(username: "alice")?.passwordHash == "new")
            #expect(try await store.user(tokenDigest: "a1", at: .now) == nil)
            #expect(try await store.user(tokenDigest: "a2", at: .now) == nil)
            #expect(try await store.user(tokenDigest: "b1", at: .now) == bob)
            await #expect(throws: StoreError.notFound) { try await store.changePasswordHash(OwnerID(), to: "x") }
        }
    }

    @Test(arguments: Backend.all)
    func aDeleteExpectingAnotherVersionDeletesNothing(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(TripDraft(name: "v1", waypoints: [paris]), owner: owner)
            _ = try await store.replaceTrip(trip.id, editor: owner, with: TripDraft(name: "v2", waypoints: []), expectedVersion: 1)
            await #expect(throws: StoreError.versionConflict) { try await store.deleteTrip(trip.id, owner: owner, expectedVersion: 1) }
            #expect(try await store.trip(trip.id, reader: owner).name == "v2")
            try await store.deleteTrip(trip.id, owner: owner, expectedVersion: 2)
            await #expect(throws: StoreError.notFound) { try await store.deleteTrip(trip.id, owner: owner, expectedVersion: 2) }
            await #expect(throws: StoreError.notFound) { try await store.trip(trip.id, reader: owner) }
        }
    }

    @Test(arguments: Backend.all)
    func aTripPastTheOwnersLimitIsRefusedAndNothingIsKept(backend: Backend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createUser(username: "alice", passwordHash: "h").id
            let bob = try await store.createUser(username: "bob", passwordHash: "h").id
            for i in 0..<3 { _ = try await store.createTrip(TripDraft(name: "t\(i)", waypoints: []), owner: alice, limit: 3) }
            await #expect(throws: StoreError.tripLimitReached) {
                try await store.createTrip(TripDraft(name: "one too many", waypoints: []), owner: alice, limit: 3)
            }
            #expect(try await store.trips(owner: alice, after: nil, limit: 10).map(\.name) == ["t0", "t1", "t2"])
            _ = try await store.createTrip(TripDraft(name: "bob's", waypoints: []), owner: bob, limit: 3)
            let first = try await store.trips(owner: alice, after: nil, limit: 1)[0]
            try await store.deleteTrip(first.id, owner: alice)
            _ = try await store.createTrip(TripDraft(name: "room again", waypoints: []), owner: alice, limit: 3)
        }
    }

    @Test(arguments: Backend.all)
    func aTokenPastTheOwnersLimitRevokesTheOldest(backend: Backend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createUser(username: "alice", passwordHash: "h")
            let bob = try await store.createUser(username: "bob", passwordHash: "h")
            try await store.saveToken(AccessToken(digest: "b", owner: bob.id, expiresAt: .now + 50), keepingNewest: 2)
            for (i, digest) in ["a1", "a2", "a3", "a4"].enumerated() {
                try await store.saveToken(
                    AccessToken(digest: digest, owner: alice.id, expiresAt: .now + 60 + Double(i)), keepingNewest: 2)
            }
            for (digest, owner) in [("a1", nil), ("a2", nil), ("a3", alice), ("a4", alice), ("b", bob)] {
                #expect(try await store.user(tokenDigest: digest, at: .now) == owner, "\(digest)")
            }
        }
    }

    @Test(arguments: Backend.all)
    func keepsNothingForAnOwnerWhoHasBeenDeleted(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            try await store.deleteUser(owner)
            await #expect(throws: StoreError.unknownOwner) {
                try await store.createTrip(TripDraft(name: "orphan", waypoints: [paris]), owner: owner)
            }
            await #expect(throws: StoreError.unknownOwner) {
                try await store.saveToken(AccessToken(digest: "orphan", owner: owner, expiresAt: .now + 60))
            }
            #expect(try await store.trips(owner: owner, after: nil, limit: 10).isEmpty)
            #expect(try await store.user(tokenDigest: "orphan", at: .now) == nil)
        }
    }

    @Test(arguments: Backend.all)
    func ofConcurrentReplacesExpectingOneVersionExactlyOneWins(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(TripDraft(name: "v1", waypoints: []), owner: owner)
            let outcomes = await withTaskGroup(of: String.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        do {
                            let replaced = try await store.replaceTrip(
                                trip.id, editor: owner, with: TripDraft(name: "r\(i)", waypoints: [rome]), expectedVersion: 1)
                            return "version \(replaced.version)"
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(outcomes == ["version 2": 1, "StoreError.versionConflict": 7])
            #expect(try await store.trip(trip.id, reader: owner).version == 2)
        }
    }

    @Test(arguments: Backend.all)
    func deletingAnUnknownUserIsNotFound(backend: Backend) async throws {
        try await backend.withStore { store in
            let kept = try await store.createUser(username: "alice", passwordHash: "h")
            await #expect(throws: StoreError.notFound) { try await store.deleteUser(OwnerID()) }
            #expect(try await store.account(username: "alice")?.user == kept)
        }
    }

    @Test(arguments: Backend.all)
    func aPageMayStartAfterATripThatHasSinceBeenDeleted(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            var ids: [TripID] = []
            for i in 0..<5 { ids.append(try await store.createTrip(TripDraft(name: "t\(i)", waypoints: []), owner: owner).id) }
            ids.sort()
            try await store.deleteTrip(ids[2], owner: owner)
            let page = try await store.trips(owner: owner, after: ids[2], limit: 10)
            #expect(page.map(\.id) == [ids[3], ids[4]])
        }
    }

    @Test(arguments: Backend.all)
    func aClosedStoreRefusesCallsAsUnavailable(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            try await store.close()
            try await store.close()
            await #expect(throws: StoreError.unavailable) {
                try await store.createTrip(TripDraft(name: "late", waypoints: []), owner: owner)
            }
            await #expect(throws: StoreError.unavailable) { try await store.account(username: "alice") }
        }
    }
}

