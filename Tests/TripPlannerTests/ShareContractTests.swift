import Foundation
import Testing
import TripCore

/// What every store promises of share links.
@Suite struct ShareContractTests {
    let draft = TripDraft(name: "Shared", waypoints: [Waypoint(name: "Paris", latitude: 48.8566, longitude: 2.3522)])

    @Test(arguments: Backend.all)
    func aShareOpensItsTripUntilItExpiresOrIsRevoked(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(draft, owner: owner)
            let lasting = Share(trip: trip.id, owner: owner, expiresAt: nil)
            let brief = Share(trip: trip.id, owner: owner, expiresAt: Date.storeNow.addingTimeInterval(60))
            try await store.createShare(lasting, tokenDigest: "lasting")
            try await store.createShare(brief, tokenDigest: "brief")

            #expect(try await store.sharedTrip(tokenDigest: "lasting", at: .now) == trip)
            #expect(try await store.sharedTrip(tokenDigest: "brief", at: .now) == trip)
            #expect(try await store.sharedTrip(tokenDigest: "brief", at: .now.addingTimeInterval(61)) == nil)
            #expect(try await store.sharedTrip(tokenDigest: "unknown", at: .now) == nil)
            #expect(try await store.shares(of: trip.id, owner: owner) == [lasting, brief])

            try await store.deleteShare(lasting.id, of: trip.id, owner: owner)
            #expect(try await store.sharedTrip(tokenDigest: "lasting", at: .now) == nil)
            await #expect(throws: StoreError.notFound) { try await store.deleteShare(lasting.id, of: trip.id, owner: owner) }
            #expect(try await store.shares(of: trip.id, owner: owner) == [brief])
        }
    }

    @Test(arguments: Backend.all)
    func sharesBelongToTheTripsOwnerOnly(backend: Backend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createUser(username: "alice", passwordHash: "h").id
            let bob = try await store.createUser(username: "bob", passwordHash: "h").id
            let trip = try await store.createTrip(draft, owner: alice)
            await #expect(throws: StoreError.notFound) {
                try await store.createShare(Share(trip: trip.id, owner: bob, expiresAt: nil), tokenDigest: "bob's")
            }
            #expect(try await store.sharedTrip(tokenDigest: "bob's", at: .now) == nil)
            let share = Share(trip: trip.id, owner: alice, expiresAt: nil)
            try await store.createShare(share, tokenDigest: "alice's")
            await #expect(throws: StoreError.notFound) { try await store.shares(of: trip.id, owner: bob) }
            await #expect(throws: StoreError.notFound) { try await store.deleteShare(share.id, of: trip.id, owner: bob) }
            #expect(try await store.sharedTrip(tokenDigest: "alice's", at: .now) == trip)
        }
    }

    @Test(arguments: Backend.all)
    func deletingTheTripOrTheAccountDeletesItsShares(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let first = try await store.createTrip(draft, owner: owner)
            let second = try await store.createTrip(draft, owner: owner)
            try await store.createShare(Share(trip: first.id, owner: owner, expiresAt: nil), tokenDigest: "first")
            try await store.createShare(Share(trip: second.id, owner: owner, expiresAt: nil), tokenDigest: "second")

            try await store.deleteTrip(first.id, owner: owner)
            #expect(try await store.sharedTrip(tokenDigest: "first", at: .now) == nil)
            #expect(try await store.sharedTrip(tokenDigest: "second", at: .now) == second)
            let third = try await store.createTrip(draft, owner: owner)
            try await store.createShare(Share(trip: third.id, owner: owner, expiresAt: nil), tokenDigest: "first")
            #expect(try await store.sharedTrip(tokenDigest: "first", at: .now) == third, "the deleted trip's share is gone")
            try await store.deleteUser(owner)
            #expect(try await store.sharedTrip(tokenDigest: "second", at: .now) == nil)
            let again = try await store.createUser(username: "alice", passwordHash: "h").id
            let recreated = try await store.createTrip(draft, owner: again)
            try await store.createShare(Share(trip: recreated.id, owner: again, expiresAt: nil), tokenDigest: "second")
            #expect(try await store.sharedTrip(tokenDigest: "second", at: .now) == recreated, "no stale share holds the digest")
        }
    }
}
