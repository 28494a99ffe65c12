import Foundation
import Testing
import TripCore

/// The store's building block for every rate limit: take one attempt from a window if it has room, atomically, and
/// give one back; run against each backend.
@Suite struct AttemptStoreContractTests {
    private let key = AttemptKey.tokenIssues(OwnerID())

    private static func takes(
        _ count: Int, of key: AttemptKey, limit: Int, at now: Date, from stores: [any AttemptStore]
    ) async throws -> [AttemptTake] {
        try await withThrowingTaskGroup(of: AttemptTake.self) { group in
            for i in 0..<count {
                let store = stores[i % stores.count]
                group.addTask { try await store.takeAttempt(key, limit: limit, window: 60, at: now) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    private static func expectExactly(_ limit: Int, of takes: [AttemptTake], grantedIn window: Date) {
        let granted = takes.compactMap { if case .granted(let window) = $0 { window } else { nil } }
        let refused = takes.compactMap { if case .refused(let window) = $0 { window } else { nil } }
        #expect(granted.map(\.count).sorted() == Array(1...limit), "each granted take has a count of its own")
        #expect(refused.count == takes.count - limit)
        #expect(Set(refused) == [AttemptWindow(count: limit, ends: window)])
        #expect(Set(takes.map(\.window.ends)) == [window])
    }

    @Test(arguments: Backend.all)
    func concurrentTakesAreGrantedExactlyTheLimit(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let start = Date.storeNow
            let takes = try await Self.takes(40, of: key, limit: 7, at: start, from: [store])
            Self.expectExactly(7, of: takes, grantedIn: start + 60)
        }
    }

    @Test(arguments: Backend.shareable)
    func concurrentTakesFromTwoProcessesAreGrantedExactlyTheLimit(backend: Backend) async throws {
        try await backend.withTwoStores { first, second in
            let start = Date.storeNow
            let takes = try await Self.takes(40, of: key, limit: 7, at: start, from: [first, second])
            Self.expectExactly(7, of: takes, grantedIn: start + 60)
        }
    }

    @Test(arguments: Backend.all)
    func aWindowEndsAndTheNextTakeStartsANewOne(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let start = Date.storeNow
            for count in 1...3 {
                #expect(try await store.takeAttempt(key, limit: 3, window: 60, at: start) == .granted(AttemptWindow(count: count, ends: start + 60)))
            }
            let full = AttemptTake.refused(AttemptWindow(count: 3, ends: start + 60))
            #expect(try await store.takeAttempt(key, limit: 3, window: 60, at: start + 30) == full)
            #expect(try await store.takeAttempt(key, limit: 3, window: 60, at: start + 59.999) == full, "a refusal takes nothing")
            let other = AttemptKey.tripCreations(OwnerID())
            #expect(try await store.takeAttempt(other, limit: 3, window: 60, at: start + 30) == .granted(AttemptWindow(count: 1, ends: start + 90)))
            #expect(try await store.takeAttempt(key, limit: 3, window: 60, at: start + 60) == .granted(AttemptWindow(count: 1, ends: start + 120)))
            #expect(try await store.takeAttempt(key, limit: 1, window: 60, at: start + 61) == .refused(AttemptWindow(count: 1, ends: start + 120)))
        }
    }

    @Test(arguments: Backend.all)
    func anAttemptGivenBackMakesRoomAndAWindowGivenBackWholeGoes(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let start = Date.storeNow
            let ends = start + 60
            _ = try await store.takeAttempt(key, limit: 2, window: 60, at: start)
            _ = try await store.takeAttempt(key, limit: 2, window: 60, at: start)
            try await store.giveBackAttempt(key, window: ends)
            #expect(try await store.takeAttempt(key, limit: 2, window: 60, at: start + 1) == .granted(AttemptWindow(count: 2, ends: ends)))
            #expect(try await store.takeAttempt(key, limit: 2, window: 60, at: start + 1) == .refused(AttemptWindow(count: 2, ends: ends)))
            try await store.giveBackAttempt(key, window: start + 61)
            try await store.giveBackAttempt(AttemptKey.tokenIssues(OwnerID()), window: ends)
            #expect(try await store.takeAttempt(key, limit: 2, window: 60, at: start + 2) == .refused(AttemptWindow(count: 2, ends: ends)), "only its own window")
            try await store.giveBackAttempt(key, window: ends)
            try await store.giveBackAttempt(key, window: ends)
            try await store.giveBackAttempt(key, window: ends)
            #expect(try await store.takeAttempt(key, limit: 2, window: 60, at: start + 3) == .granted(AttemptWindow(count: 1, ends: start + 63)))
        }
    }

    @Test(arguments: Backend.all)
    func concurrentTakesAndGivesBackNeverPassTheLimit(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let start = Date.storeNow
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<30 {
                    group.addTask {
                        if case .granted(let window) = try await store.takeAttempt(key, limit: 5, window: 60, at: start) {
                            #expect(window.count <= 5)
                            try await store.giveBackAttempt(key, window: window.ends)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let takes = try await Self.takes(20, of: key, limit: 5, at: start + 1, from: [store])
            #expect(takes.filter { if case .granted = $0 { true } else { false } }.count == 5, "everything was given back")
        }
    }

    @Test(arguments: Backend.all)
    func keysWhoseComponentsLookAlikeAreKeptApart(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let start = Date.storeNow
            let lookAlikes: [AttemptKey] = [
                .failedLogins(username: "alice", from: "203.0.113.7"), .failedLoginsEverywhere(username: "alice from 203.0.113.7"),
                .failedLoginsEverywhere(username: "alice%20from%20203.0.113.7"), .failedLoginsEverywhere(username: "alice"),
                .signUps(from: "alice"), .failedLogins(username: "alice from", from: "203.0.113.7"),
            ]
            #expect(Set(lookAlikes.map(\.stored)).count == lookAlikes.count)
            for key in lookAlikes {
                #expect(try await store.takeAttempt(key, limit: 1, window: 60, at: start) == .granted(AttemptWindow(count: 1, ends: start + 60)), "\(key)")
            }
            #expect(AttemptKey.failedLogins(username: "Alice", from: "203.0.113.7").stored == "login alice from 203.0.113.7")
            #expect(AttemptKey.failedLoginsEverywhere(username: "ALICE").stored == "login alice")
        }
    }
}
