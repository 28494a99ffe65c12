import Archive
import Foundation
import Testing
import TripCore

/// What every store promises when it is read and restored whole, run against each backend.
@Suite struct ArchiveContractTests {
    static let hash = "$2b$04$" + String(repeating: "a", count: 53)
    let alice = User(id: OwnerID(), username: "alice", createdAt: Date(milliseconds: 1_700_000_000_000))
    let paris = Waypoint(name: "Paris", latitude: 48.8566, longitude: 2.3522)

    func trip(_ id: TripID, version: Int, name: String = "Tour") -> Trip {
        Trip(
            id: id, owner: alice.id, name: name, waypoints: [paris], createdAt: Date(milliseconds: 1_700_000_001_000),
            updatedAt: Date(milliseconds: 1_700_000_002_000 + Int64(version)), version: version)
    }

    /// One record of each kind, each referring only to records before it.
    func records() -> [ArchiveRecord] {
        let tripID = TripID()
        return [
            .user(Account(user: alice, passwordHash: Self.hash)),
            .token(AccessToken(digest: "digest-1", owner: alice.id, expiresAt: .storeNow.addingTimeInterval(3600))),
            .trip(trip(tripID, version: 2)),
            .share(Share(trip: tripID, owner: alice.id, expiresAt: nil), tokenDigest: "share-digest"),
            .tombstone(Tombstone(trip: TripID(), owner: alice.id, deletedAt: Date(milliseconds: 1_700_000_003_000))),
        ]
    }

    static func export(_ store: any ArchivableStore) async throws -> [ArchiveRecord] {
        var all: [ArchiveRecord] = []
        try await StoreExport(store: store).pages { records, _ in all += records }
        return all
    }

    @Test(arguments: Backend.all)
    func restoresEveryKindAsItWasAndTwiceChangesNothing(backend: Backend) async throws {
        try await backend.withStore { store in
            let records = records()
            try await store.restore(records)
            #expect(try await Self.export(store) == records)
            try await store.restore(records)
            #expect(try await Self.export(store) == records)
            #expect(try await store.archiveCounts(at: .storeNow) == [.user: 1, .token: 1, .trip: 1, .share: 1, .tombstone: 1])
            #expect(try await store.account(username: "ALICE")?.passwordHash == Self.hash)
            #expect(try await store.user(tokenDigest: "digest-1", at: .now) == alice)
        }
    }

    @Test(arguments: Backend.all)
    func replacesATripOnlyWithAHigherVersionAndFeedsTheChange(backend: Backend) async throws {
        try await backend.withStore { store in
            let id = TripID()
            try await store.restore([.user(Account(user: alice, passwordHash: Self.hash)), .trip(trip(id, version: 2))])
            let start = try await store.changes(owner: alice.id, since: nil).cursor
            try await store.restore([.trip(trip(id, version: 1, name: "Older"))])
            #expect(try await store.trip(id, owner: alice.id) == trip(id, version: 2))
            #expect(try await store.changes(owner: alice.id, since: start).changes.isEmpty)
            try await store.restore([.trip(trip(id, version: 3, name: "Newer"))])
            #expect(try await store.trip(id, owner: alice.id) == trip(id, version: 3, name: "Newer"))
            #expect(try await store.changes(owner: alice.id, since: start).changes == [.saved(trip(id, version: 3, name: "Newer"))])
            #expect(try await store.trips(owner: alice.id, after: nil, limit: 10).count == 1)
        }
    }

    @Test(arguments: Backend.all)
    func aTripTwiceInOneBatchIsStoredOnceAtItsHigherVersion(backend: Backend) async throws {
        try await backend.withStore { store in
            let id = TripID()
            try await store.restore([
                .user(Account(user: alice, passwordHash: Self.hash)), .trip(trip(id, version: 1, name: "First")),
                .trip(trip(TripID(), version: 1)), .trip(trip(id, version: 2, name: "Second")),
            ])
            #expect(try await store.trip(id, owner: alice.id) == trip(id, version: 2, name: "Second"))
            #expect(try await store.archiveCounts(at: .storeNow)[.trip] == 2)
            #expect(try await store.changes(owner: alice.id, since: nil).changes.count == 2)
        }
    }

    @Test(arguments: Backend.all)
    func restoredTombstonesReachClientsThatSyncedBefore(backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.restore([.user(Account(user: alice, passwordHash: Self.hash))])
            let start = try await store.changes(owner: alice.id, since: nil).cursor
            let gone = TripID()
            try await store.restore([.tombstone(Tombstone(trip: gone, owner: alice.id, deletedAt: .storeNow))])
            #expect(try await store.changes(owner: alice.id, since: start).changes == [.deleted(gone)])
        }
    }

    @Test(arguments: Backend.all)
    func aConflictingRecordWritesNothingOfItsBatch(backend: Backend) async throws {
        try await backend.withStore { store in
            _ = try await store.createUser(username: "alice", passwordHash: Self.hash)
            let bob = User(id: OwnerID(), username: "bob", createdAt: .storeNow)
            let impostor = User(id: OwnerID(), username: "ALICE", createdAt: .storeNow)
            await #expect(throws: RestoreConflict(index: 1, reason: "username ALICE already exists under another id")) {
                try await store.restore([.user(Account(user: bob, passwordHash: Self.hash)), .user(Account(user: impostor, passwordHash: Self.hash))])
            }
            #expect(try await store.account(username: "bob") == nil)
            let orphan = trip(TripID(), version: 1)
            await #expect(throws: RestoreConflict.self) {
                try await store.restore([.user(Account(user: bob, passwordHash: Self.hash)), .trip(orphan)])
            }
            #expect(try await store.account(username: "bob") == nil)
            let stray = Share(trip: TripID(), owner: bob.id, expiresAt: nil)
            await #expect(throws: RestoreConflict.self) {
                try await store.restore([.user(Account(user: bob, passwordHash: Self.hash)), .share(stray, tokenDigest: "d")])
            }
            #expect(try await store.archiveCounts(at: .storeNow) == [.user: 1, .token: 0, .trip: 0, .share: 0, .tombstone: 0])
        }
    }
}
