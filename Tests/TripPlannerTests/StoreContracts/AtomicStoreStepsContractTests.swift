import Testing
import TripCore

/// The steps each store keeps because only it can take them atomically: a trip inserted only below the owner's
/// quota, and the owner's next change number taken with each write.
@Suite struct AtomicStoreStepsContractTests {
    let paris = Waypoint(name: "Paris", latitude: 48.8566, longitude: 2.3522)

    @Test(arguments: Backend.all)
    func concurrentCreationsAtTheQuotaNeverPassIt(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let created = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await store.createTrip(TripDraft(name: "t\(i)", waypoints: [paris]), owner: owner, limit: 5)
                            return true
                        } catch let error as StoreError where error == .tripLimitReached {
                            return false
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(created == 5)
            #expect(try await store.trips(owner: owner, after: nil, limit: 100).count == 5)
        }
    }

    @Test(arguments: Backend.all)
    func concurrentWritesEachTakeTheNextChangeNumber(backend: Backend) async throws {
        try await backend.withStore { store in
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let start = try await store.changes(owner: owner, since: nil).cursor
            let trips = try await withThrowingTaskGroup(of: Trip.self) { group in
                for i in 0..<20 {
                    group.addTask { try await store.createTrip(TripDraft(name: "t\(i)", waypoints: [paris]), owner: owner, limit: 100) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let page = try await store.changes(owner: owner, since: start)
            #expect(page.positions == Array(1...20))
            #expect(Set(page.changes) == Set(trips.map { .saved($0) }))
            #expect(page.cursor.position == 20)
        }
    }
}
