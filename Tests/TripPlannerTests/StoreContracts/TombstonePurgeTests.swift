@testable import API
import Foundation
import Testing
import TripCore

/// The service that forgets old deletions and expired share links, on both stores, one round at a time on a clock
/// the test moves.
@Suite struct TombstonePurgeTests {
    /// 2020-09-13: far from the system's time, so that a deletion stamped by the database's clock would show.
    static let start = Date(milliseconds: 1_600_000_000_000)

    /// One round of the service on `store`, with a retention of an hour, at the clock's time.
    private func purge(_ store: some TripStore, at clock: ManualClock) async {
        await TombstonePurge(store: store, retention: .seconds(3600), clock: clock.wallClock, logger: .quiet).purge()
    }

    @Test(arguments: Backend.all)
    func forgetsOnlyDeletionsOlderThanTheRetention(backend: Backend) async throws {
        let clock = ManualClock(Self.start)
        try await backend.withStore(clock: clock.wallClock) { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(TripDraft(name: "doomed", waypoints: []), owner: owner)
            let before = try await store.changes(owner: owner, since: nil).cursor
            try await store.deleteTrip(trip.id, owner: owner)

            clock.advance(by: 3599)
            await purge(store, at: clock)
            #expect(try await store.changes(owner: owner, since: before).changes == [.deleted(trip.id)])

            clock.advance(by: 2)
            await purge(store, at: clock)
            await #expect(throws: StoreError.cursorExpired) { try await store.changes(owner: owner, since: before) }
        }
    }

    @Test(arguments: Backend.all)
    func deletesShareLinksOnceTheyExpire(backend: Backend) async throws {
        let clock = ManualClock(Self.start)
        try await backend.withStore(clock: clock.wallClock) { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(TripDraft(name: "shared", waypoints: []), owner: owner)
            let daily = Share(trip: trip.id, owner: owner, createdAt: clock.now, expiresAt: clock.now + 86400)
            try await store.createShare(daily, tokenDigest: "daily")
            try await store.createShare(Share(trip: trip.id, owner: owner, createdAt: clock.now, expiresAt: nil), tokenDigest: "lasting")
            let stored = { try await store.shares(of: trip.id, owner: owner, at: Date(timeIntervalSince1970: 0), limit: 10).count }

            clock.advance(by: 86399)
            await purge(store, at: clock)
            #expect(try await stored() == 2)

            clock.advance(by: 1)
            await purge(store, at: clock)
            #expect(try await stored() == 1)
        }
    }
}
