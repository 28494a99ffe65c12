import Foundation
import Testing
import TripCore

/// Every store stamps what it creates, replaces and deletes with the clock it was given, never the database's.
@Suite struct StoreClockContractTests {
    /// 2020-09-13: far from the system's time, so that a stamp from another clock would show.
    static let start = Date(milliseconds: 1_600_000_000_000)

    @Test(arguments: Backend.all)
    func recordsAreStampedWithTheStoresClock(backend: Backend) async throws {
        let clock = ManualClock(Self.start)
        try await backend.withStore(clock: clock.wallClock) { store in
            let user = try await store.createUser(username: "alice", passwordHash: "h")
            #expect(user.createdAt == Self.start)
            #expect(try await store.account(username: "alice")?.user.createdAt == Self.start)

            clock.advance(by: 60)
            let created = try await store.createTrip(TripDraft(name: "v1", waypoints: []), owner: user.id)
            #expect(created.createdAt == clock.now && created.updatedAt == clock.now)
            #expect(try await store.trip(created.id, reader: user.id) == created)

            clock.advance(by: 60)
            let replaced = try await store.replaceTrip(
                created.id, editor: user.id, with: TripDraft(name: "v2", waypoints: []), expectedVersion: nil)
            #expect(replaced.createdAt == created.createdAt && replaced.updatedAt == clock.now)
            #expect(try await store.trip(created.id, reader: user.id) == replaced)

            clock.advance(by: 60)
            try await store.deleteTrip(created.id, owner: user.id)
            let deletedAt = clock.now
            #expect(try await store.purgeTombstones(deletedBefore: deletedAt) == 0)
            #expect(try await store.purgeTombstones(deletedBefore: deletedAt + 0.001) == 1)
        }
    }
}
