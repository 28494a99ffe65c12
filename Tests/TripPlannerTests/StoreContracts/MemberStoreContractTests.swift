import Foundation
import Testing
import TripCore

/// What every store promises of trip members and invitations, and of the feeds of the people who may read a trip.
@Suite struct MemberStoreContractTests {
    let draft = TripDraft(name: "Together", waypoints: [Waypoint(name: "Lyon", latitude: 45.764, longitude: 4.8357)])

    /// Alice's trip, with Bob an editor and Carol a viewer; Dave a stranger.
    struct Party {
        let alice: OwnerID, bob: OwnerID, carol: OwnerID, dave: OwnerID
        let trip: Trip
    }

    func party(in store: some TripStore) async throws -> Party {
        let alice = try await store.createUser(username: "alice", passwordHash: "h").id
        let bob = try await store.createUser(username: "bob", passwordHash: "h").id
        let carol = try await store.createUser(username: "carol", passwordHash: "h").id
        let dave = try await store.createUser(username: "dave", passwordHash: "h").id
        let trip = try await store.createTrip(draft, owner: alice)
        try await invite(store, to: trip.id, by: alice, as: .editor, digest: "for bob")
        _ = try await store.join(tokenDigest: "for bob", member: bob, at: .now, limit: 50)
        try await invite(store, to: trip.id, by: alice, as: .viewer, digest: "for carol")
        _ = try await store.join(tokenDigest: "for carol", member: carol, at: .now, limit: 50)
        return Party(alice: alice, bob: bob, carol: carol, dave: dave, trip: trip)
    }

    @discardableResult
    func invite(
        _ store: some TripStore, to trip: TripID, by owner: OwnerID, as role: TripRole, digest: String,
        at now: Date = .now, days: Double = 7, limit: Int = 100
    ) async throws -> Invitation {
        let invitation = Invitation(trip: trip, role: role, createdAt: now, expiresAt: now.addingTimeInterval(days * 86400))
        try await store.createInvitation(invitation, tokenDigest: digest, owner: owner, limit: limit)
        return invitation
    }

    @Test(arguments: Backend.all)
    func eachReaderSeesTheTripWithTheirRoleAndStrangersSeeNothing(backend: Backend) async throws {
        try await backend.withStore { store in
            let p = try await party(in: store)
            #expect(p.trip.access == TripAccess(ownerName: "alice", role: .owner))
            #expect(try await store.trip(p.trip.id, reader: p.alice) == p.trip)
            #expect(try await store.trip(p.trip.id, reader: p.bob).access == TripAccess(ownerName: "alice", role: .editor))
            #expect(try await store.trip(p.trip.id, reader: p.carol).access == TripAccess(ownerName: "alice", role: .viewer))
            #expect(try await store.trip(p.trip.id, reader: p.carol).stored == p.trip.stored)
            await #expect(throws: StoreError.notFound) { try await store.trip(p.trip.id, reader: p.dave) }
            await #expect(throws: StoreError.notFound) { try await store.members(of: p.trip.id, reader: p.dave) }
            await #expect(throws: StoreError.notFound) { try await store.invitations(of: p.trip.id, owner: p.dave, at: .now) }
        }
    }

    @Test(arguments: Backend.all)
    func editorsChangeViewersOnlyReadAndOnlyTheOwnerDeletes(backend: Backend) async throws {
        try await backend.withStore { store in
            let p = try await party(in: store)
            let renamed = TripDraft(name: "Renamed", waypoints: [])
            let edited = try await store.replaceTrip(p.trip.id, editor: p.bob, with: renamed, expectedVersion: 1)
            #expect(edited.version == 2)
            #expect(edited.access == TripAccess(ownerName: "alice", role: .editor))
            await #expect(throws: StoreError.forbidden) {
                try await store.replaceTrip(p.trip.id, editor: p.carol, with: renamed, expectedVersion: nil)
            }
            await #expect(throws: StoreError.forbidden) {
                try await store.replaceTrip(p.trip.id, editor: p.carol, with: renamed, expectedVersion: 1)
            }
            await #expect(throws: StoreError.notFound) {
                try await store.replaceTrip(p.trip.id, editor: p.dave, with: renamed, expectedVersion: nil)
            }
            await #expect(throws: StoreError.versionConflict) {
                try await store.replaceTrip(p.trip.id, editor: p.bob, with: renamed, expectedVersion: 1)
            }
            await #expect(throws: StoreError.forbidden) { try await store.deleteTrip(p.trip.id, owner: p.bob) }
            await #expect(throws: StoreError.forbidden) { try await store.deleteTrip(p.trip.id, owner: p.carol) }
            await #expect(throws: StoreError.notFound) { try await store.deleteTrip(p.trip.id, owner: p.dave) }
            #expect(try await store.trip(p.trip.id, reader: p.alice).version == 2)
            try await store.deleteTrip(p.trip.id, owner: p.alice)
            await #expect(throws: StoreError.notFound) { try await store.trip(p.trip.id, reader: p.bob) }
        }
    }

    @Test(arguments: Backend.all)
    func anInvitationIsUsedOnceAndOnlyWhilePending(backend: Backend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createUser(username: "alice", passwordHash: "h").id
            let bob = try await store.createUser(username: "bob", passwordHash: "h").id
            let carol = try await store.createUser(username: "carol", passwordHash: "h").id
            let trip = try await store.createTrip(draft, owner: alice)
            let now = Date.now
            let brief = try await invite(store, to: trip.id, by: alice, as: .viewer, digest: "brief", at: now, days: 1)
            let revoked = try await invite(store, to: trip.id, by: alice, as: .viewer, digest: "revoked", at: now)
            let kept = try await invite(store, to: trip.id, by: alice, as: .editor, digest: "kept", at: now)
            #expect(try await store.invitations(of: trip.id, owner: alice, at: now).map(\.id) == [brief.id, revoked.id, kept.id])
            try await store.deleteInvitation(revoked.id, of: trip.id, owner: alice, at: now)
            await #expect(throws: StoreError.notFound) {
                try await store.deleteInvitation(revoked.id, of: trip.id, owner: alice, at: now)
            }
            let later = now.addingTimeInterval(86400 + 1)
            for digest in ["brief", "revoked", "unknown"] {
                await #expect(throws: StoreError.notFound, "\(digest)") {
                    try await store.join(tokenDigest: digest, member: bob, at: later, limit: 50)
                }
            }
            #expect(try await store.invitations(of: trip.id, owner: alice, at: later).map(\.id) == [kept.id])
            await #expect(throws: StoreError.alreadyMember) { try await store.join(tokenDigest: "kept", member: alice, at: later, limit: 50) }
            let joined = try await store.join(tokenDigest: "kept", member: bob, at: later, limit: 50)
            #expect(joined.access == TripAccess(ownerName: "alice", role: .editor))
            await #expect(throws: StoreError.notFound) { try await store.join(tokenDigest: "kept", member: carol, at: later, limit: 50) }
            try await invite(store, to: trip.id, by: alice, as: .viewer, digest: "again", at: later)
            await #expect(throws: StoreError.alreadyMember) { try await store.join(tokenDigest: "again", member: bob, at: later, limit: 50) }
            await #expect(throws: StoreError.forbidden, "a member does not invite") {
                try await invite(store, to: trip.id, by: bob, as: .viewer, digest: "by bob", at: later)
            }
            let stillPending = try await store.join(tokenDigest: "again", member: carol, at: later, limit: 50)
            #expect(stillPending.access?.role == .viewer, "the invitation a member failed to use stays pending")
        }
    }

    @Test(arguments: Backend.all)
    func limitsOfMembersAndPendingInvitationsHold(backend: Backend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createUser(username: "alice", passwordHash: "h").id
            let bob = try await store.createUser(username: "bob", passwordHash: "h").id
            let carol = try await store.createUser(username: "carol", passwordHash: "h").id
            let trip = try await store.createTrip(draft, owner: alice)
            try await invite(store, to: trip.id, by: alice, as: .viewer, digest: "one", limit: 2)
            try await invite(store, to: trip.id, by: alice, as: .viewer, digest: "two", limit: 2)
            await #expect(throws: StoreError.invitationLimitReached) {
                try await invite(store, to: trip.id, by: alice, as: .viewer, digest: "three", limit: 2)
            }
            _ = try await store.join(tokenDigest: "one", member: bob, at: .now, limit: 1)
            await #expect(throws: StoreError.memberLimitReached) { try await store.join(tokenDigest: "two", member: carol, at: .now, limit: 1) }
            #expect(try await store.invitations(of: trip.id, owner: alice, at: .now).count == 1, "left pending")
        }
    }

    @Test(arguments: Backend.all)
    func ofConcurrentJoinsWithOneInvitationExactlyOneWins(backend: Backend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createUser(username: "alice", passwordHash: "h").id
            var joiners: [OwnerID] = []
            for i in 0..<8 { joiners.append(try await store.createUser(username: "joiner\(i)", passwordHash: "h").id) }
            let trip = try await store.createTrip(draft, owner: alice)
            try await invite(store, to: trip.id, by: alice, as: .editor, digest: "contested")
            let won = try await withThrowingTaskGroup(of: Bool.self) { group in
                for joiner in joiners {
                    group.addTask {
                        do {
                            _ = try await store.join(tokenDigest: "contested", member: joiner, at: .now, limit: 50)
                            return true
                        } catch let error as StoreError where error == .notFound {
                            return false
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(won == 1)
            #expect(try await store.members(of: trip.id, reader: alice).count == 2)
        }
    }

    @Test(arguments: Backend.all)
    func membersAreListedOwnerFirstAndManagedByTheOwner(backend: Backend) async throws {
        try await backend.withStore { store in
            let p = try await party(in: store)
            let listed = try await store.members(of: p.trip.id, reader: p.carol)
            #expect(listed.map(\.username) == ["alice", "bob", "carol"])
            #expect(listed.map(\.role) == [.owner, .editor, .viewer])
            #expect(listed[0].joinedAt.milliseconds == p.trip.createdAt.milliseconds)
            let promoted = try await store.setRole(.editor, of: "CAROL", trip: p.trip.id, owner: p.alice)
            #expect(promoted.username == "carol" && promoted.role == .editor)
            #expect(try await store.trip(p.trip.id, reader: p.carol).access?.role == .editor)
            let promotedAt = try await store.changes(owner: p.carol, since: nil).cursor
            #expect(try await store.setRole(.editor, of: "carol", trip: p.trip.id, owner: p.alice) == promoted)
            #expect(try await store.changes(owner: p.carol, since: promotedAt).changes.isEmpty, "the same role again feeds nothing")
            await #expect(throws: StoreError.forbidden) { try await store.setRole(.viewer, of: "carol", trip: p.trip.id, owner: p.bob) }
            await #expect(throws: StoreError.notFound) { try await store.setRole(.viewer, of: "dave", trip: p.trip.id, owner: p.alice) }
            await #expect(throws: StoreError.notFound) { try await store.setRole(.viewer, of: "alice", trip: p.trip.id, owner: p.alice) }
            await #expect(throws: StoreError.forbidden, "a member removes only themself") {
                try await store.removeMember("carol", trip: p.trip.id, by: p.bob)
            }
            await #expect(throws: StoreError.notFound) { try await store.removeMember("carol", trip: p.trip.id, by: p.dave) }
            try await store.removeMember("bob", trip: p.trip.id, by: p.bob)
            try await store.removeMember("carol", trip: p.trip.id, by: p.alice)
            await #expect(throws: StoreError.notFound) { try await store.trip(p.trip.id, reader: p.bob) }
            await #expect(throws: StoreError.notFound) { try await store.trip(p.trip.id, reader: p.carol) }
            await #expect(throws: StoreError.notFound) { try await store.removeMember("bob", trip: p.trip.id, by: p.alice) }
            #expect(try await store.members(of: p.trip.id, reader: p.alice).map(\.username) == ["alice"])
        }
    }

    @Test(arguments: Backend.all)
    func listingsHoldOwnedAndMemberTripsInIdOrderByRole(backend: Backend) async throws {
        try await backend.withStore { store in
            let p = try await party(in: store)
            let bobs = try await store.createTrip(draft, owner: p.bob)
            try await invite(store, to: bobs.id, by: p.bob, as: .viewer, digest: "bob's")
            _ = try await store.join(tokenDigest: "bob's", member: p.alice, at: .now, limit: 50)
            let aliceSees = try await store.trips(owner: p.alice, after: nil, limit: 10)
            #expect(aliceSees.map(\.id) == [p.trip.id, bobs.id])
            #expect(aliceSees.map(\.access?.role) == [.owner, .viewer])
            #expect(aliceSees.map(\.access?.ownerName) == ["alice", "bob"])
            #expect(try await store.trips(owner: p.alice, role: .viewer, after: nil, limit: 10).map(\.id) == [bobs.id])
            #expect(try await store.trips(owner: p.alice, role: .owner, after: nil, limit: 10).map(\.id) == [p.trip.id])
            #expect(try await store.trips(owner: p.alice, after: p.trip.id, limit: 10).map(\.id) == [bobs.id])
            #expect(try await store.trips(owner: p.bob, after: nil, limit: 10).map(\.access?.role) == [.editor, .owner])
            #expect(try await store.trips(owner: p.dave, after: nil, limit: 10).isEmpty)
        }
    }

    @Test(arguments: Backend.all)
    func everyReadersFeedGetsEditsAndTombstonesForLostAccess(backend: Backend) async throws {
        try await backend.withStore { store in
            let p = try await party(in: store)
            let starts = try await [p.alice, p.bob, p.carol].asyncMap { try await store.changes(owner: $0, since: nil).cursor }
            let edited = try await store.replaceTrip(p.trip.id, editor: p.bob, with: TripDraft(name: "Edited", waypoints: []), expectedVersion: nil)
            for (reader, start, role) in zip3([p.alice, p.bob, p.carol], starts, [TripRole.owner, .editor, .viewer]) {
                let page = try await store.changes(owner: reader, since: start)
                #expect(page.changes == [.saved(edited.seen(as: TripAccess(ownerName: "alice", role: role)))], "\(role)")
            }
            let beforeRemoval = try await store.changes(owner: p.carol, since: nil).cursor
            try await store.removeMember("carol", trip: p.trip.id, by: p.alice)
            #expect(try await store.changes(owner: p.carol, since: beforeRemoval).changes == [.deleted(p.trip.id)])
            #expect(try await store.changes(owner: p.carol, since: nil).changes.isEmpty, "an initial sync has nothing of it")

            let beforeRole = try await store.changes(owner: p.bob, since: nil).cursor
            _ = try await store.setRole(.viewer, of: "bob", trip: p.trip.id, owner: p.alice)
            let roleChange = try await store.changes(owner: p.bob, since: beforeRole).changes
            #expect(roleChange.map(\.stored) == [.saved(edited.stored)])
            if case .saved(let trip)? = roleChange.first { #expect(trip.access?.role == .viewer) }

            let beforeDeletion = try await [p.alice, p.bob].asyncMap { try await store.changes(owner: $0, since: nil).cursor }
            try await store.deleteTrip(p.trip.id, owner: p.alice)
            for (reader, start) in zip([p.alice, p.bob], beforeDeletion) {
                #expect(try await store.changes(owner: reader, since: start).changes == [.deleted(p.trip.id)])
            }
        }
    }

    @Test(arguments: Backend.all)
    func deletingTheOwnersAccountLeavesMembersTombstones(backend: Backend) async throws {
        try await backend.withStore { store in
            let p = try await party(in: store)
            let bobs = try await store.createTrip(draft, owner: p.bob)
            try await invite(store, to: bobs.id, by: p.bob, as: .editor, digest: "bob's")
            _ = try await store.join(tokenDigest: "bob's", member: p.alice, at: .now, limit: 50)
            let start = try await store.changes(owner: p.bob, since: nil).cursor
            try await store.deleteUser(p.alice)
            #expect(try await store.changes(owner: p.bob, since: start).changes == [.deleted(p.trip.id)])
            #expect(try await store.members(of: bobs.id, reader: p.bob).map(\.username) == ["bob"], "alice's membership went too")
            await #expect(throws: StoreError.notFound) { try await store.trip(p.trip.id, reader: p.carol) }
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var mapped: [T] = []
        for element in self { mapped.append(try await transform(element)) }
        return mapped
    }
}

func zip3<A, B, C>(_ a: [A], _ b: [B], _ c: [C]) -> [(A, B, C)] {
    zip(zip(a, b), c).map { ($0.0, $0.1, $1) }
}
