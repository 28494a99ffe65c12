import Archive
import Foundation
import Testing
import TripCore

/// What every store promises when it is read and restored whole, run against each backend.
@Suite struct ArchiveContractTests {
    static let hash = "$2b$04$" + String(repeating: "a", count: 53)
    let alice = User(id: OwnerID(), username: "alice", createdAt: Date(milliseconds: 1_700_000_000_000))
    /// Made after alice, so exported after her; disabled by an operator.
    let bob = User(id: OwnerID(), username: "bob", createdAt: Date(milliseconds: 1_700_000_000_500), isDisabled: true)
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
            .user(Account(user: bob, passwordHash: Self.hash, disablement: Disablement(since: Date(milliseconds: 1_700_000_004_000), reason: "spam"))),
            .token(AccessToken(digest: "digest-1", owner: alice.id, expiresAt: .storeNow.addingTimeInterval(3600))),
            .trip(trip(tripID, version: 2)),
            .share(Share(trip: tripID, owner: alice.id, expiresAt: nil), tokenDigest: "share-digest"),
            .member(TripMembership(trip: tripID, owner: alice.id, member: bob.id, role: .editor, joinedAt: Date(milliseconds: 1_700_000_002_000))),
            .invitation(
                Invitation(trip: tripID, role: .viewer, createdAt: .storeNow, expiresAt: .storeNow.addingTimeInterval(3600)), owner: alice.id,
                tokenDigest: "invitation-digest"),
            .tombstone(Tombstone(trip: TripID(), owner: alice.id, deletedAt: Date(milliseconds: 1_700_000_003_000))),
            .audit(AuditEvent(
                id: ObjectID(), at: Date(milliseconds: 1_700_000_004_000), command: "users disable", account: "bob", operatorName: "oncall",
                host: "ops-1", reason: "spam")),
        ]
    }

    static func export(_ store: any ArchivableStore) async throws -> [ArchiveRecord] {
        var all: [ArchiveRecord] = []
        try await StoreExport(store: store, now: .storeNow).pages { records, _ in all += records }
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
            #expect(try await store.archiveCounts(at: .storeNow) == [.user: 2, .token: 1, .trip: 1, .share: 1, .member: 1, .invitation: 1, .tombstone: 1, .audit: 1])
            #expect(try await store.account(username: "ALICE")?.passwordHash == Self.hash)
            #expect(try await store.account(username: "bob")?.disablement?.reason == "spam")
            let bobSees = try await store.changes(owner: bob.id, since: nil).changes
            let roles = bobSees.map { change -> TripRole? in
                guard case .saved(let trip) = change else { return nil }
                return trip.access?.role
            }
            #expect(roles == [.editor], "a restored member reads the trip")
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
            #expect(try await (store.trip(id, reader: alice.id)).stored == trip(id, version: 2))
            #expect(try await store.changes(owner: alice.id, since: start).changes.isEmpty)
            try await store.restore([.trip(trip(id, version: 3, name: "Newer"))])
            #expect(try await (store.trip(id, reader: alice.id)).stored == trip(id, version: 3, name: "Newer"))
            #expect(try await store.changes(owner: alice.id, since: start).changes.map(\.stored) == [.saved(trip(id, version: 3, name: "Newer"))])
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
            #expect(try await (store.trip(id, reader: alice.id)).stored == trip(id, version: 2, name: "Second"))
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
            #expect(try await store.archiveCounts(at: .storeNow) == [.user: 1, .token: 0, .trip: 0, .share: 0, .member: 0, .invitation: 0, .tombstone: 0, .audit: 0])
        }
    }

    /// A merge cannot add a token, a trip version, a share or a tombstone to an account unless it carries that
    /// account's user line with the hash the store holds; the batch with such a record writes nothing.
    @Test(arguments: Backend.all)
    func anArchiveAddsNothingToAnAccountWhoseHashItDoesNotCarry(backend: Backend) async throws {
        try await backend.withStore { store in
            let victim = try await store.createUser(username: "victim", passwordHash: Self.hash)
            let held = try await store.createTrip(TripDraft(name: "Mine", waypoints: [paris]), owner: victim.id, limit: 10)
            let mallory = User(id: OwnerID(), username: "mallory", createdAt: .storeNow)
            let newer = Trip(
                id: held.id, owner: victim.id, name: "Taken", waypoints: [paris], createdAt: held.createdAt,
                updatedAt: .storeNow, version: held.version + 1)
            let planted: [ArchiveRecord] = [
                .token(AccessToken(digest: "chosen", owner: victim.id, expiresAt: .storeNow.addingTimeInterval(3600))),
                .trip(newer),
                .share(Share(trip: held.id, owner: victim.id, expiresAt: nil), tokenDigest: "known"),
                .tombstone(Tombstone(trip: TripID(), owner: victim.id, deletedAt: .storeNow)),
            ]
            let otherHash = "$2b$04$" + String(repeating: "b", count: 53)
            for record in planted {
                let batch: [ArchiveRecord] = [.user(Account(user: mallory, passwordHash: otherHash)), record]
                var withoutLine = AccountHashes()
                withoutLine[mallory.id] = otherHash
                var withOtherHash = withoutLine
                withOtherHash[victim.id] = otherHash
                for (accounts, reason) in [(withoutLine, "whose user line is not in the archive"),
                    (withOtherHash, "whose password hash in the store is not the archive's")]
                {
                    await #expect(throws: RestoreConflict(
                        index: 1, reason: "\(record.kind) \(record.archiveKey) is of user \(victim.id), \(reason)")
                    ) {
                        try await store.restore(batch, accounts: accounts)
                    }
                }
            }
            #expect(try await store.account(username: "mallory") == nil, "nothing of a refused batch is written")
            #expect(try await store.user(tokenDigest: "chosen", at: .now) == nil)
            #expect(try await store.trip(held.id, reader: victim.id) == held)
            #expect(try await store.shares(of: held.id, owner: victim.id).isEmpty)
            #expect(try await store.changes(owner: victim.id, since: nil).changes == [.saved(held)])
            try await store.restore(planted)
            #expect(try await store.user(tokenDigest: "chosen", at: .now) == victim, "the account's own hash lets it through")
            #expect(try await (store.trip(held.id, reader: victim.id)).stored == newer)
        }
    }
}

extension ArchivableStore {
    /// Restores the records as an archive would that carries `hash` on the user line of every account they name.
    func restore(_ records: [ArchiveRecord], hash: String = ArchiveContractTests.hash) async throws {
        var accounts = AccountHashes()
        for record in records {
            if case .user(let account) = record { accounts[account.user.id] = hash }
            if let owner = record.owner { accounts[owner] = hash }
        }
        try await restore(records, accounts: accounts)
    }
}
