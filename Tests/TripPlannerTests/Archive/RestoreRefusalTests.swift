import Foundation
import Testing
import TripCore

/// `RestorePlan` refuses a batch on every store alike: the first bad record in kind order, in one wording.
@Suite struct RestoreRefusalTests {
    let hash = ArchiveContractTests.hash
    let paris = Waypoint(name: "Paris", latitude: 48.8566, longitude: 2.3522)

    func trip(_ id: TripID = TripID(), owner: OwnerID, version: Int = 1) -> Trip {
        Trip(id: id, owner: owner, name: "Tour", waypoints: [paris], createdAt: .storeNow, updatedAt: .storeNow, version: version)
    }

    @Test(arguments: Backend.all)
    func eachRefusalNamesItsRecordInOneWordingOnEveryStore(backend: Backend) async throws {
        try await backend.withStore { store in
            let alice = User(id: OwnerID(), username: "alice", createdAt: .storeNow)
            let held = trip(owner: alice.id)
            try await store.restore([
                .user(Account(user: alice, passwordHash: hash)), .trip(held),
                .share(Share(trip: held.id, owner: alice.id, expiresAt: nil), tokenDigest: "taken"),
            ])
            let ghost = OwnerID()
            let share = Share(trip: held.id, owner: alice.id, expiresAt: nil)
            let stray = Share(trip: TripID(), owner: alice.id, expiresAt: nil)
            let gone = TripID()
            let orphan = trip(owner: ghost)
            let strayInvitation = Invitation(trip: gone, role: .viewer, createdAt: .storeNow, expiresAt: .storeNow + 3600)
            let ownerInvitation = Invitation(trip: held.id, role: .owner, createdAt: .storeNow, expiresAt: .storeNow + 3600)
            let refused: [(ArchiveRecord, String)] = [
                (.token(AccessToken(digest: "d", owner: ghost, expiresAt: .storeNow + 60)), "token names user \(ghost), who does not exist"),
                (.trip(orphan), "trip \(orphan.id) names user \(ghost), who does not exist"),
                (.trip(trip(held.id, owner: ghost, version: 9)), "trip \(held.id) belongs to another user"),
                (.share(stray, tokenDigest: "s"), "share \(stray.id) is of trip \(stray.trip), which user \(alice.id) does not hold"),
                (.share(share, tokenDigest: "taken"), "share \(share.id) has the token of another share"),
                (.tombstone(Tombstone(trip: gone, owner: ghost, deletedAt: .storeNow)), "deleted trip \(gone) names user \(ghost), who does not exist"),
                (.member(TripMembership(trip: gone, owner: alice.id, member: alice.id, role: .viewer, joinedAt: .storeNow)),
                 "a member of trip \(gone), which user \(alice.id) does not hold"),
                (.member(TripMembership(trip: held.id, owner: alice.id, member: alice.id, role: .viewer, joinedAt: .storeNow)),
                 "the owner of trip \(held.id) cannot also be its member"),
                (.member(TripMembership(trip: held.id, owner: alice.id, member: ghost, role: .editor, joinedAt: .storeNow)),
                 "a member of trip \(held.id) is user \(ghost), who does not exist"),
                (.invitation(strayInvitation, owner: alice.id, tokenDigest: "i"),
                 "invitation \(strayInvitation.id) is to trip \(gone), which user \(alice.id) does not hold"),
                (.invitation(ownerInvitation, owner: alice.id, tokenDigest: "i"), "invitation \(ownerInvitation.id) cannot make an owner"),
            ]
            for (record, reason) in refused {
                await #expect(throws: RestoreConflict(index: 1, reason: reason)) {
                    try await store.restore([.user(Account(user: alice, passwordHash: hash)), record])
                }
            }
            #expect(
                try await store.archiveCounts(at: .storeNow)
                    == [.user: 1, .token: 0, .trip: 1, .share: 1, .member: 0, .invitation: 0, .tombstone: 0, .audit: 0])
        }
    }

    /// Records are judged in kind order, whichever kind's rule refuses them: a token before a trip.
    @Test(arguments: Backend.all)
    func theFirstRecordRefusedInKindOrderIsNamedWhateverRuleRefusesIt(backend: Backend) async throws {
        try await backend.withStore { store in
            let victim = try await store.createUser(username: "victim", passwordHash: hash)
            let ghost = OwnerID()
            var accounts = AccountHashes()
            accounts[ghost] = hash
            let batch: [ArchiveRecord] = [
                .trip(trip(owner: victim.id)),
                .token(AccessToken(digest: "d", owner: ghost, expiresAt: .storeNow + 60)),
            ]
            await #expect(throws: RestoreConflict(index: 1, reason: "token names user \(ghost), who does not exist")) {
                try await store.restore(batch, accounts: accounts)
            }
        }
    }
}
