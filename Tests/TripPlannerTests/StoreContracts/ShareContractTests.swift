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

            #expect(try await store.sharedTrip(tokenDigest: "lasting", at: .now) == trip.stored)
            #expect(try await store.sharedTrip(tokenDigest: "brief", at: .now) == trip.stored)
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
            #expect(try await store.sharedTrip(tokenDigest: "alice's", at: .now) == trip.stored)
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
            #expect(try await store.sharedTrip(tokenDigest: "second", at: .now) == second.stored)
            let third = try await store.createTrip(draft, owner: owner)
            try await store.createShare(Share(trip: third.id, owner: owner, expiresAt: nil), tokenDigest: "first")
            #expect(try await store.sharedTrip(tokenDigest: "first", at: .now) == third.stored, "the deleted trip's share is gone")
            try await store.deleteUser(owner)
            #expect(try await store.sharedTrip(tokenDigest: "second", at: .now) == nil)
            let again = try await store.createUser(username: "alice", passwordHash: "h").id
            let recreated = try await store.createTrip(draft, owner: again)
            try await store.createShare(Share(trip: recreated.id, owner: again, expiresAt: nil), tokenDigest: "second")
            #expect(try await store.sharedTrip(tokenDigest: "second", at: .now) == recreated.stored, "no stale share holds the digest")
        }
    }

    @Test(arguments: Backend.all)
    func aTripHoldsAtMostItsLimitOfUnexpiredShares(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(draft, owner: owner)
            let other = try await store.createTrip(draft, owner: owner)
            let lapsed = Share(trip: trip.id, owner: owner, createdAt: .storeNow - 120, expiresAt: .storeNow - 60)
            try await store.createShare(lapsed, tokenDigest: "lapsed", limit: 3)
            var live: [Share] = []
            for i in 0..<3 {
                live.append(Share(trip: trip.id, owner: owner, expiresAt: i == 0 ? nil : .storeNow + 3600))
                try await store.createShare(live[i], tokenDigest: "live \(i)", limit: 3)
            }
            await #expect(throws: StoreError.shareLimitReached) {
                try await store.createShare(Share(trip: trip.id, owner: owner, expiresAt: nil), tokenDigest: "past", limit: 3)
            }
            #expect(try await store.sharedTrip(tokenDigest: "past", at: .now) == nil, "a refused share keeps nothing")
            try await store.createShare(Share(trip: other.id, owner: owner, expiresAt: nil), tokenDigest: "other", limit: 3)
            try await store.deleteShare(live[1].id, of: trip.id, owner: owner)
            try await store.createShare(Share(trip: trip.id, owner: owner, expiresAt: nil), tokenDigest: "again", limit: 3)
            #expect(try await store.sharedTrip(tokenDigest: "again", at: .now) == trip.stored)
        }
    }

    @Test(arguments: Backend.all)
    func concurrentCreationsCannotPassTheLimitTogether(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(draft, owner: owner)
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        do {
                            try await store.createShare(Share(trip: trip.id, owner: owner, expiresAt: nil), tokenDigest: "\(i)", limit: 5)
                            return true
                        } catch let error as StoreError where error == .shareLimitReached {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 5)
            #expect(try await store.shares(of: trip.id, owner: owner, at: .now, limit: 100).count == 5)
        }
    }

    @Test(arguments: Backend.all)
    func theListHoldsOnlyUnexpiredSharesUpToItsLimit(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(draft, owner: owner)
            let start = Date(milliseconds: Date.storeNow.milliseconds)
            let lasting = Share(trip: trip.id, owner: owner, createdAt: start, expiresAt: nil)
            let brief = Share(trip: trip.id, owner: owner, createdAt: start + 1, expiresAt: start + 60)
            let later = Share(trip: trip.id, owner: owner, createdAt: start + 2, expiresAt: start + 600)
            for (share, digest) in [(lasting, "lasting"), (brief, "brief"), (later, "later")] {
                try await store.createShare(share, tokenDigest: digest)
            }
            #expect(try await store.shares(of: trip.id, owner: owner, at: start + 10, limit: 10) == [lasting, brief, later])
            #expect(try await store.shares(of: trip.id, owner: owner, at: start + 10, limit: 2) == [lasting, brief])
            #expect(try await store.shares(of: trip.id, owner: owner, at: start + 60, limit: 10) == [lasting, later])
        }
    }

    @Test(arguments: Backend.all)
    func purgingDeletesExpiredSharesOnly(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(draft, owner: owner)
            let start = Date(milliseconds: Date.storeNow.milliseconds)
            let lasting = Share(trip: trip.id, owner: owner, createdAt: start, expiresAt: nil)
            let brief = Share(trip: trip.id, owner: owner, createdAt: start, expiresAt: start + 60)
            let later = Share(trip: trip.id, owner: owner, createdAt: start, expiresAt: start + 600)
            for (share, digest) in [(lasting, "lasting"), (brief, "brief"), (later, "later")] {
                try await store.createShare(share, tokenDigest: digest)
            }
            #expect(try await store.purgeExpiredShares(expiredBy: start + 59) == 0)
            #expect(try await store.purgeExpiredShares(expiredBy: start + 60) == 1)
            #expect(try await store.shares(of: trip.id, owner: owner, at: start, limit: 10) == [lasting, later])
            #expect(try await store.purgeExpiredShares(expiredBy: start + 3600) == 1)
            #expect(try await store.shares(of: trip.id, owner: owner, at: start, limit: 10) == [lasting])
            #expect(try await store.sharedTrip(tokenDigest: "lasting", at: start + 3600) == trip.stored)
        }
    }

    @Test(arguments: Backend.all)
    func aShareNamesTheVersionOfItsTripUntilItExpiresOrIsRevoked(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(draft, owner: owner)
            let brief = Share(trip: trip.id, owner: owner, expiresAt: .storeNow + 60)
            try await store.createShare(brief, tokenDigest: "brief")
            let first = TripVersion(trip: trip.id, version: 1, updatedAt: trip.updatedAt)
            #expect(try await store.sharedTripVersion(tokenDigest: "brief", at: .now) == first)
            let replaced = try await store.replaceTrip(trip.id, editor: owner, with: TripDraft(name: "Again", waypoints: []), expectedVersion: 1)
            let second = TripVersion(trip: trip.id, version: 2, updatedAt: replaced.updatedAt)
            #expect(try await store.sharedTripVersion(tokenDigest: "brief", at: .now) == second)
            #expect(try await store.sharedTripVersion(tokenDigest: "brief", at: .now + 61) == nil)
            #expect(try await store.sharedTripVersion(tokenDigest: "unknown", at: .now) == nil)
            try await store.deleteShare(brief.id, of: trip.id, owner: owner)
            #expect(try await store.sharedTripVersion(tokenDigest: "brief", at: .now) == nil)
        }
    }

    @Test(arguments: Backend.all)
    func aMemberOfTheTripIsRefusedItsShareLinks(backend: Backend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createUser(username: "alice", passwordHash: "h").id
            let bob = try await store.createUser(username: "bob", passwordHash: "h").id
            let trip = try await store.createTrip(draft, owner: alice)
            let share = Share(trip: trip.id, owner: alice, expiresAt: nil)
            try await store.createShare(share, tokenDigest: "alice's")
            let invitation = Invitation(trip: trip.id, role: .editor, createdAt: .storeNow, expiresAt: .storeNow + 3600)
            try await store.createInvitation(invitation, tokenDigest: "for bob", owner: alice, limit: 10)
            _ = try await store.join(tokenDigest: "for bob", member: bob, at: .now, limit: 50)
            await #expect(throws: StoreError.forbidden) {
                try await store.createShare(Share(trip: trip.id, owner: bob, expiresAt: nil), tokenDigest: "bob's")
            }
            await #expect(throws: StoreError.forbidden) { try await store.shares(of: trip.id, owner: bob) }
            await #expect(throws: StoreError.forbidden) { try await store.deleteShare(share.id, of: trip.id, owner: bob) }
            #expect(try await store.shares(of: trip.id, owner: alice) == [share])
        }
    }
}
