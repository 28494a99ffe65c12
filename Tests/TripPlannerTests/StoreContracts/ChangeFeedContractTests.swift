import Foundation
import Testing
import TripCore

/// What every store promises of its change feed.
@Suite struct ChangeFeedContractTests {
    let paris = Waypoint(name: "Paris", latitude: 48.8566, longitude: 2.3522)

    func draft(_ name: String) -> TripDraft {
        TripDraft(name: name, waypoints: [paris])
    }

    @Test(arguments: Backend.all)
    func initialSyncGivesEveryLiveTripInTheOrderOfItsLastChange(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let first = try await store.createTrip(draft("first"), owner: owner)
            let second = try await store.createTrip(draft("second"), owner: owner)
            let third = try await store.createTrip(draft("third"), owner: owner)
            let replaced = try await store.replaceTrip(first.id, editor: owner, with: draft("first again"), expectedVersion: nil)
            try await store.deleteTrip(second.id, owner: owner)

            let page = try await store.changes(owner: owner, since: nil)
            #expect(page.changes == [.saved(third), .saved(replaced)])
            #expect(!page.hasMore)
            #expect(try await store.changes(owner: owner, since: page.cursor).changes.isEmpty, "the cursor is past the deletion")
        }
    }

    /// A cursor counts its owner's changes only: nothing another account writes, or has purged, moves or expires it.
    @Test(arguments: Backend.all)
    func aCursorRevealsNothingOfOtherAccounts(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let other = try await store.createUser(username: "bob", passwordHash: "h").id
            _ = try await store.createTrip(draft("mine"), owner: owner)
            let synced = try await store.changes(owner: owner, since: nil).cursor
            for index in 0..<5 {
                let theirs = try await store.createTrip(draft("theirs \(index)"), owner: other)
                try await store.deleteTrip(theirs.id, owner: other)
            }
            _ = try await store.purgeTombstones(deletedBefore: Date().addingTimeInterval(60))
            #expect(try await store.changes(owner: owner, since: synced).cursor == synced)
            #expect(try await store.changes(owner: owner, since: nil).cursor == synced)
            _ = try await store.createTrip(draft("mine again"), owner: owner)
            let next = try await store.changes(owner: owner, since: synced).cursor
            #expect(next.position == synced.position + 1, "one change of mine moves my cursor by one")
        }
    }

    /// A cursor past the owner's last change was given before the store was restored from an older backup: the
    /// changes made since the restore would be skipped under it.
    @Test(arguments: Backend.all)
    func aCursorFromPastTheLastChangeHasExpired(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            _ = try await store.createTrip(draft("one"), owner: owner)
            let cursor = try await store.changes(owner: owner, since: nil).cursor
            #expect(try await store.changes(owner: owner, since: cursor).changes.isEmpty)
            for ahead in [cursor.position + 1, cursor.position + 1_000, .max] {
                await #expect(throws: StoreError.cursorExpired) {
                    try await store.changes(owner: owner, since: ChangeCursor(feed: cursor.feed, position: ahead))
                }
            }
        }
    }

    @Test(arguments: Backend.all)
    func givesEachTripChangedSinceACursorOnceInItsLatestState(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let other = try await store.createUser(username: "bob", passwordHash: "h").id
            let kept = try await store.createTrip(draft("kept"), owner: owner)
            let doomed = try await store.createTrip(draft("doomed"), owner: owner)
            let synced = try await store.changes(owner: owner, since: nil)

            let edited = try await store.createTrip(draft("edited"), owner: owner)
            _ = try await store.replaceTrip(edited.id, editor: owner, with: draft("edited twice"), expectedVersion: nil)
            let added = try await store.createTrip(draft("added"), owner: owner)
            try await store.deleteTrip(doomed.id, owner: owner)
            let latest = try await store.replaceTrip(edited.id, editor: owner, with: draft("edited thrice"), expectedVersion: 2)
            _ = try await store.createTrip(draft("bob's"), owner: other)

            let page = try await store.changes(owner: owner, since: synced.cursor)
            #expect(page.changes == [.saved(added), .deleted(doomed.id), .saved(latest)])
            #expect(!page.hasMore)
            #expect(try await store.changes(owner: owner, since: synced.cursor) == page, "the same request, the same answer")
            let caughtUp = try await store.changes(owner: owner, since: page.cursor)
            #expect(caughtUp.changes.isEmpty)
            #expect(!caughtUp.hasMore)
            #expect(try await store.trip(kept.id, reader: owner) == kept)
        }
    }

    @Test(arguments: Backend.all)
    func pagesFollowTheirCursors(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let start = try await store.changes(owner: owner, since: nil).cursor
            var trips: [Trip] = []
            for i in 0..<7 { trips.append(try await store.createTrip(draft("t\(i)"), owner: owner)) }
            try await store.deleteTrip(trips[0].id, owner: owner)

            var seen: [TripChange] = []
            var hasMore: [Bool] = []
            var cursor = start
            repeat {
                let page = try await store.changes(owner: owner, since: cursor, limit: 3)
                seen += page.changes
                hasMore.append(page.hasMore)
                cursor = page.cursor
            } while hasMore.last == true
            #expect(seen == trips.dropFirst().map { .saved($0) } + [.deleted(trips[0].id)])
            #expect(hasMore == [true, true, false])
        }
    }

    @Test(arguments: Backend.all)
    func endsAPageAtTheTripThatPassesTheByteBudget(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            for i in 0..<3 { _ = try await store.createTrip(draft("t\(i)"), owner: owner) }
            let page = try await store.changes(owner: owner, since: nil, limit: 10, byteBudget: 1)
            #expect(page.changes.count == 1, "the first trip passes the budget and ends the page")
            #expect(page.hasMore)
            let rest = try await store.changes(owner: owner, since: page.cursor, limit: 10, byteBudget: .max)
            #expect(rest.changes.count == 2)
        }
    }

    @Test(arguments: Backend.all)
    func refusesACursorFromAnotherStore(backend: Backend) async throws {
        let foreign = try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            return try await store.changes(owner: owner, since: nil).cursor
        }
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let own = try await store.changes(owner: owner, since: nil).cursor
            #expect(own.feed != foreign.feed)
            await #expect(throws: StoreError.cursorExpired) { try await store.changes(owner: owner, since: foreign) }
            _ = try await store.changes(owner: owner, since: own)
        }
    }

    @Test(arguments: Backend.all)
    func purgingOldTombstonesExpiresTheCursorsBeforeThem(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(draft("doomed"), owner: owner)
            let before = try await store.changes(owner: owner, since: nil).cursor
            try await store.deleteTrip(trip.id, owner: owner)
            let after = try await store.changes(owner: owner, since: before).cursor

            #expect(try await store.purgeTombstones(deletedBefore: Date.now.addingTimeInterval(-3600)) == 0)
            #expect(try await store.changes(owner: owner, since: before).changes == [.deleted(trip.id)], "a recent tombstone stays")

            #expect(try await store.purgeTombstones(deletedBefore: Date.now.addingTimeInterval(1)) == 1)
            await #expect(throws: StoreError.cursorExpired) { try await store.changes(owner: owner, since: before) }
            #expect(try await store.changes(owner: owner, since: after).changes.isEmpty)
            #expect(try await store.changes(owner: owner, since: nil).changes.isEmpty)
        }
    }

    @Test(arguments: Backend.all)
    func deletingAnAccountDeletesItsFeed(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let start = try await store.changes(owner: owner, since: nil).cursor
            let trip = try await store.createTrip(draft("doomed"), owner: owner)
            try await store.deleteTrip(trip.id, owner: owner)
            _ = try await store.createTrip(draft("kept"), owner: owner)
            #expect(try await store.changes(owner: owner, since: start).changes.count == 2)

            try await store.deleteUser(owner)
            #expect(try await store.changes(owner: owner, since: start).changes.isEmpty)
        }
    }

    @Test(arguments: Backend.all)
    func failedWritesLeaveNoChange(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(draft("kept"), owner: owner)
            let start = try await store.changes(owner: owner, since: nil).cursor
            await #expect(throws: StoreError.versionConflict) {
                try await store.replaceTrip(trip.id, editor: owner, with: draft("stale"), expectedVersion: 7)
            }
            await #expect(throws: StoreError.versionConflict) { try await store.deleteTrip(trip.id, owner: owner, expectedVersion: 7) }
            await #expect(throws: StoreError.tripLimitReached) { try await store.createTrip(draft("over"), owner: owner, limit: 1) }
            let page = try await store.changes(owner: owner, since: start)
            #expect(page.changes.isEmpty)
            #expect(page.cursor == start)
        }
    }
}
