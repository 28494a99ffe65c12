import API
import Foundation
import Testing
import TripCore

/// The service that forgets old deletions, on both stores.
@Suite struct TombstonePurgeTests {
    /// The service on `store`, purging every 10 ms until the task is cancelled.
    private func purging(_ store: some TripStore, retention: Duration) -> Task<Void, any Error> {
        let purge = TombstonePurge(store: store, retention: retention, interval: .milliseconds(10), logger: .quiet)
        return Task { try await purge.run() }
    }

    @Test(arguments: Backend.all)
    func forgetsOnlyDeletionsOlderThanTheRetention(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(TripDraft(name: "doomed", waypoints: []), owner: owner)
            let before = try await store.changes(owner: owner, since: nil).cursor
            try await store.deleteTrip(trip.id, owner: owner)

            let patient = purging(store, retention: .seconds(3600))
            try await Task.sleep(for: .milliseconds(200))
            patient.cancel()
            #expect(try await store.changes(owner: owner, since: before).changes == [.deleted(trip.id)])

            let eager = purging(store, retention: .zero)
            defer { eager.cancel() }
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                do {
                    _ = try await store.changes(owner: owner, since: before)
                    try await Task.sleep(for: .milliseconds(20))
                } catch let error as StoreError where error == .cursorExpired {
                    return
                }
            }
            Issue.record("the tombstone was never purged")
        }
    }

    @Test(arguments: Backend.all)
    func deletesExpiredShareLinks(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(TripDraft(name: "shared", waypoints: []), owner: owner)
            let lapsed = Share(trip: trip.id, owner: owner, createdAt: .storeNow - 120, expiresAt: .storeNow - 60)
            try await store.createShare(lapsed, tokenDigest: "lapsed")
            try await store.createShare(Share(trip: trip.id, owner: owner, expiresAt: nil), tokenDigest: "lasting")
            let purge = purging(store, retention: .seconds(3600))
            defer { purge.cancel() }
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                if try await store.shares(of: trip.id, owner: owner, at: Date(timeIntervalSince1970: 0), limit: 10).count == 1 { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            Issue.record("the expired share was never purged")
        }
    }
}
