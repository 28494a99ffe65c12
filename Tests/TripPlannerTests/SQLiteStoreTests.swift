import Foundation
import GRDB
@testable import StoreSQLite
import Synchronization
import Testing
import TripCore

/// What only the SQLite store promises: its file's durability settings, and writes committed in groups.
@Suite struct SQLiteStoreTests {
    @Test func aFileStoreWritesInWALModeAndSyncsEveryCommit() async throws {
        try await Backend.sqliteFile.withStore { store in
            let store = try #require(store as? SQLiteTripStore)
            let (journal, synchronous) = try await store.writer.run { database in
                try database.read { db in
                    (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
                }
            }
            #expect(journal == "wal")
            #expect(synchronous == 2, "synchronous = FULL")
        }
    }

    @Test func writesQueuedTogetherCommitTogetherAndAFailingOneUndoesOnlyItself() async throws {
        try await Backend.sqliteFile.withStore { store in
            let store = try #require(store as? SQLiteTripStore)
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            let trip = try await store.createTrip(TripDraft(name: "Original", waypoints: []), owner: owner)
            let commits = CommitCounter()
            try await store.writer.run { database in database.add(transactionObserver: commits, extent: .observerLifetime) }
            let started = DispatchSemaphore(value: 0)
            let gate = DispatchSemaphore(value: 0)
            let holdsWriter = Task { try await store.writer.run { _ in started.signal(); gate.wait() } }
            started.wait()
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<30 {
                    group.addTask {
                        do {
                            switch i % 3 {
                            case 0:
                                _ = try await store.createTrip(TripDraft(name: "New \(i)", waypoints: []), owner: owner)
                                return "created"
                            case 1:
                                _ = try await store.replaceTrip(
                                    trip.id, owner: owner, with: TripDraft(name: "Stale \(i)", waypoints: []), expectedVersion: 7)
                                return "replaced"
                            default:
                                _ = try await store.createUser(username: i == 2 ? "bob" : "alice", passwordHash: "h")
                                return "signed up"
                            }
                        } catch let error as StoreError {
                            return "\(error)"
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(100))
                gate.signal()
                return try await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            }
            try await holdsWriter.value
            #expect((1..<30).contains(commits.count), "30 queued writes took \(commits.count) commits")
            #expect(outcomes == [
                "created": 10, "StoreError.versionConflict": 10, "signed up": 1, "StoreError.duplicateUsername": 9,
            ])
            #expect(try await store.trip(trip.id, owner: owner) == trip)
            #expect(try await store.trips(owner: owner, after: nil, limit: 100).count == 11)
            #expect(try await store.account(username: "bob") != nil)
        }
    }

    @Test(.timeLimit(.minutes(1))) func writesThatArriveOnceTheWriterHasClosedAreRefusedAsUnavailable() async throws {
        try await Backend.sqliteFile.withStore { store in
            let store = try #require(store as? SQLiteTripStore)
            let owner = try await store.createUser(username: "alice", passwordHash: "h").id
            try await store.writer.close()
            await #expect(throws: StoreError.unavailable) {
                try await store.createTrip(TripDraft(name: "Late", waypoints: []), owner: owner)
            }
            #expect(try await store.trips(owner: owner, after: nil, limit: 10).isEmpty)
        }
    }
}

/// Counts the transactions a connection commits.
private final class CommitCounter: TransactionObserver, Sendable {
    private let commits = Mutex(0)

    var count: Int { commits.withLock { $0 } }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { commits.withLock { $0 += 1 } }
    func databaseDidRollback(_ db: Database) {}
}
