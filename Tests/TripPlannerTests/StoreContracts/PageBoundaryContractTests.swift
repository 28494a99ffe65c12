import JSON
import Testing
import TripCore

/// Where a page ends is `PageBudget`'s alone: the same trips give the same pages on every store.
@Suite struct PageBoundaryContractTests {
    let paris = Waypoint(name: "Paris", latitude: 48.8566, longitude: 2.3522)
    let rome = Waypoint(name: "Rome", latitude: 41.9028, longitude: 12.4964)

    /// Twelve trips of one JSON size: names of one length, the same waypoints, dates written to the second.
    func twelveTrips(in store: some AccountStore & TripRecordStore) async throws -> (OwnerID, [Trip], size: Int) {
        let owner = try await store.createUser(username: "alice", passwordHash: "h").id
        var trips: [Trip] = []
        for i in 10..<22 {
            trips.append(try await store.createTrip(TripDraft(name: "trip \(i)", waypoints: [paris, rome]), owner: owner))
        }
        let sizes = Set(trips.map { trip in
            var writer = JSONWriter()
            writer.trip(trip)
            return writer.bytes.count
        })
        return (owner, trips, try #require(sizes.count == 1 ? sizes.first : nil))
    }

    /// Three trips and two commas, and half a trip more.
    func threeTrips(_ size: Int) -> Int { 3 * size + 2 + size / 2 }

    @Test(arguments: Backend.all)
    func pagesOfTripsEndAtTheSameTripsOnEveryStore(backend: Backend) async throws {
        try await backend.withStore { store in
            let (owner, trips, size) = try await twelveTrips(in: store)
            for (budget, counts) in [
                (PageBudget(limit: 10, byteBudget: threeTrips(size)), [3, 3, 3, 3]),
                (PageBudget(limit: 10, byteBudget: .max), [10, 2]),
                (PageBudget(limit: 10, byteBudget: 1), Array(repeating: 1, count: 12)),
            ] {
                var pages: [JSONPage<Trip>] = []
                repeat {
                    pages.append(try await store.tripPage(reader: owner, after: pages.last?.items.last?.id, budget: budget))
                } while pages.last!.hasMore && pages.count <= trips.count
                #expect(pages.map(\.items.count) == counts, "\(budget)")
                #expect(pages.flatMap(\.items) == trips)
                #expect(pages.map(\.hasMore) == counts.indices.map { $0 < counts.count - 1 })
                for page in pages {
                    var writer = JSONWriter()
                    for (index, trip) in page.items.enumerated() {
                        if index > 0 { writer.raw(",") }
                        writer.trip(trip)
                    }
                    #expect(page.json == writer.bytes)
                    #expect(page.items.count == 1 || page.json.count <= budget.byteBudget)
                }
            }
        }
    }

    @Test(arguments: Backend.all)
    func pagesOfChangesEndAtTheSameChangesOnEveryStore(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "bob", passwordHash: "h").id
            let start = try await store.changes(owner: owner, since: nil).cursor
            let (alice, trips, size) = try await twelveTrips(in: store)
            try await store.deleteTrip(trips[0].id, owner: alice)
            try await store.deleteTrip(trips[1].id, owner: alice)
            let expected = trips.dropFirst(2).map { TripChange.saved($0) } + [.deleted(trips[0].id), .deleted(trips[1].id)]
            for (budget, counts) in [
                (PageBudget(limit: 10, byteBudget: threeTrips(size)), [3, 3, 3, 3]),
                (PageBudget(limit: 10, byteBudget: .max), [10, 2]),
                (PageBudget(limit: 4, byteBudget: .max), [4, 4, 4]),
            ] {
                var pages: [ChangePage] = []
                repeat {
                    let since = pages.last?.cursor ?? ChangeCursor(feed: start.feed, position: 0)
                    pages.append(try await store.changePage(reader: alice, since: since, budget: budget))
                } while pages.last!.hasMore && pages.count <= expected.count
                #expect(pages.map(\.changes.count) == counts, "\(budget)")
                #expect(pages.flatMap(\.changes) == expected)
                #expect(pages.map(\.hasMore) == counts.indices.map { $0 < counts.count - 1 })
                #expect(pages.last?.cursor.position == 14, "twelve trips made and two deleted")
            }
        }
    }

    /// A store's read of trips stops at the first trip that takes it past its bytes, and says whether it ran out.
    @Test(arguments: Backend.all)
    func aReadOfTripsStopsOneTripPastItsBytes(backend: Backend) async throws {
        try await backend.withStore { store in
            let (owner, trips, _) = try await twelveTrips(in: store)
            let one = try await store.trips(reader: owner, role: nil, after: nil, bound: ReadBound(items: 10, bytes: 1))
            #expect(one.items == [trips[0]])
            #expect(!one.exhausted)
            let counted = try await store.trips(reader: owner, role: nil, after: nil, bound: ReadBound(items: 12, bytes: .max))
            #expect(counted.items == trips)
            #expect(!counted.exhausted, "twelve read of twelve asked for: a thirteenth may follow")
            let all = try await store.trips(reader: owner, role: nil, after: trips[1].id, bound: ReadBound(items: 20, bytes: .max))
            #expect(all.items == Array(trips.dropFirst(2)))
            #expect(all.exhausted)
        }
    }

    /// A read of changes that stops at its bytes holds no change after the last trip it read, deletions included.
    @Test(arguments: Backend.all)
    func aReadOfChangesStoppedByItsBytesHoldsNothingPastItsLastTrip(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let first = try await store.createTrip(TripDraft(name: "first", waypoints: [paris]), owner: owner)
            let second = try await store.createTrip(TripDraft(name: "second", waypoints: [rome]), owner: owner)
            try await store.deleteTrip(first.id, owner: owner)
            let third = try await store.createTrip(TripDraft(name: "third", waypoints: [rome]), owner: owner)
            let bound = ReadBound(items: 10, bytes: 1)
            var reads: [ChangeBatch] = []
            repeat {
                let after = reads.last?.changes.last?.position ?? 0
                reads.append(try await store.changes(reader: owner, after: after, deletionsAfter: 0, bound: bound))
            } while !reads.last!.exhausted && reads.count < 10
            #expect(reads.flatMap(\.changes).map(\.change) == [.saved(second), .deleted(first.id), .saved(third)])
            #expect(reads.flatMap(\.changes).map(\.position) == [2, 3, 4])
            #expect(reads.first?.changes.map(\.change) == [.saved(second)], "the deletion after the trip read waits")
            #expect(reads.last?.exhausted == true)
        }
    }
}
