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
            let gate = await store.holdingWriter()
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
                                    trip.id, editor: owner, with: TripDraft(name: "Stale \(i)", waypoints: []), expectedVersion: 7)
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
                try await waitUntil("the 30 writes queue") { store.writes.queued == 30 }
                gate.signal()
                return try await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect((1..<30).contains(commits.count), "30 queued writes took \(commits.count) commits")
            #expect(outcomes == [
                "created": 10, "StoreError.versionConflict": 10, "signed up": 1, "StoreError.duplicateUsername": 9,
            ])
            #expect(try await store.trip(trip.id, reader: owner) == trip)
            #expect(try await store.trips(owner: owner, after: nil, limit: 100).count == 11)
            #expect(try await store.account(username: "bob") != nil)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func writesPastTheQueueBoundAreRefusedAtOnceAsUnavailable() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bounded-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteTripStore(path: path, maxQueuedWrites: 3)
        try await store.prepare()
        let owner = try await store.createUser(username: "alice", passwordHash: "h").id
        let gate = await store.holdingWriter()
        let refused = Refusals()
        let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 {
                group.addTask {
                    do {
                        _ = try await store.createTrip(TripDraft(name: "t\(i)", waypoints: []), owner: owner)
                        return "created"
                    } catch let error as StoreError {
                        refused.count.add(1, ordering: .relaxed)
                        return "\(error)"
                    }
                }
            }
            try await waitUntil("every write is queued or refused") { store.writes.queued + refused.count.load(ordering: .relaxed) == 8 }
            gate.signal()
            return try await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(outcomes == ["created": 3, "StoreError.unavailable": 5])
        #expect(try await store.trips(owner: owner, after: nil, limit: 10).count == 3)
        try await store.close()
    }

    @Test func tripsStoredBeforeTheyWereCountedCountTowardsTheLimit() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("counts-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let old = try DatabaseQueue(path: path)
        try SQLiteTripStore.migrator.migrate(old, upTo: "attempts")
        let owner = "0123456789abcdef01234567"
        try await old.write { db in
            try db.execute(sql: "INSERT INTO user VALUES (?, 'alice', 'h', 0)", arguments: [owner])
            for id in ["0123456789abcdef0123456a", "0123456789abcdef0123456b"] {
                try db.execute(sql: "INSERT INTO trip VALUES (?, ?, 'old', '[]', 0, 0, 1)", arguments: [id, owner])
            }
        }
        try old.close()
        let store = try SQLiteTripStore(path: path)
        try await store.prepare()
        _ = try await store.createTrip(TripDraft(name: "third", waypoints: []), owner: OwnerID(owner)!, limit: 3)
        await #expect(throws: StoreError.tripLimitReached) {
            try await store.createTrip(TripDraft(name: "fourth", waypoints: []), owner: OwnerID(owner)!, limit: 3)
        }
        try await store.close()
    }

    @Test func tripsStoredBeforeTheFeedAreInItsInitialSyncOldestChangeFirst() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let old = try DatabaseQueue(path: path)
        try SQLiteTripStore.migrator.migrate(old, upTo: "tripCounts")
        let owner = "0123456789abcdef01234567"
        try await old.write { db in
            try db.execute(sql: "INSERT INTO user (id, username, passwordHash, createdAt) VALUES (?, 'alice', 'h', 0)", arguments: [owner])
            try db.execute(sql: "INSERT INTO trip VALUES ('0123456789abcdef0123456a', ?, 'newer', '[]', 0, 20, 2)", arguments: [owner])
            try db.execute(sql: "INSERT INTO trip VALUES ('0123456789abcdef0123456b', ?, 'older', '[]', 0, 10, 1)", arguments: [owner])
        }
        try old.close()
        let store = try SQLiteTripStore(path: path)
        try await store.prepare()
        let page = try await store.changes(owner: OwnerID(owner)!, since: nil)
        #expect(page.changes.map { if case .saved(let trip) = $0 { trip.name } else { "deleted" } } == ["older", "newer"])
        try await store.close()
    }

    @Test func changesFromBeforePositionsPerAccountAreNumberedPerAccountUnderANewFeed() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("positions-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let old = try DatabaseQueue(path: path)
        try SQLiteTripStore.migrator.migrate(old, upTo: "shares")
        let (alice, bob) = ("0123456789abcdef01234567", "0123456789abcdef01234568")
        let oldFeed = try await old.write { db in
            for (id, name) in [(alice, "alice"), (bob, "bob")] {
                try db.execute(sql: "INSERT INTO user (id, username, passwordHash, createdAt) VALUES (?, ?, 'h', 0)", arguments: [id, name])
            }
            for (index, owner) in [alice, bob, bob, alice, bob, alice].enumerated() {
                try db.execute(
                    sql: "INSERT INTO trip VALUES (?, ?, ?, '[]', 0, 0, 1)", arguments: ["0123456789abcdef012345a\(index)", owner, "trip \(index)"])
            }
            try db.execute(sql: "DELETE FROM trip WHERE id = '0123456789abcdef012345a3'")
            return try Int64.fetchOne(db, sql: "SELECT id FROM changeFeed")!
        }
        try old.close()
        let store = try SQLiteTripStore(path: path)
        try await store.prepare()
        let owner = OwnerID(alice)!
        let page = try await store.changes(owner: owner, since: nil)
        #expect(page.changes.map { if case .saved(let trip) = $0 { trip.name } else { "deleted" } } == ["trip 0", "trip 5"])
        #expect(page.cursor.position == 3, "alice's three changes, the deletion last but one")
        #expect(page.cursor.feed != oldFeed)
        let since = try await store.changes(owner: owner, since: ChangeCursor(feed: page.cursor.feed, position: 1))
        #expect(since.positions == [2, 3])
        await #expect(throws: StoreError.cursorExpired) {
            try await store.changes(owner: owner, since: ChangeCursor(feed: oldFeed, position: 1))
        }
        _ = try await store.createTrip(TripDraft(name: "new", waypoints: []), owner: owner)
        #expect(try await store.changes(owner: owner, since: page.cursor).positions == [4])
        try await store.close()
    }

    @Test func aStoreWithNamesDifferingOnlyInCaseRefusesToStartAndNamesThem() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("case-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let old = try DatabaseQueue(path: path)
        try SQLiteTripStore.migrator.migrate(old, upTo: "createUsersTripsTokens")
        try await old.write { db in
            for (id, name) in [("0123456789abcdef01234567", "alice"), ("0123456789abcdef01234568", "Alice"), ("0123456789abcdef01234569", "bob")] {
                try db.execute(sql: "INSERT INTO user VALUES (?, ?, 'h', 0)", arguments: [id, name])
            }
        }
        try old.close()
        let store = try SQLiteTripStore(path: path)
        do {
            try await store.prepare()
            Issue.record("the migration guessed which alice to keep")
        } catch let refusal as SetupRefusal {
            #expect(refusal.description.contains("alice") && refusal.description.contains("Alice"))
            #expect(!refusal.description.contains("bob"))
        }
        try await store.close()
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

/// Writes the store refused.
private final class Refusals: Sendable {
    let count = Atomic(0)
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

extension SQLiteTripStore {
    /// Occupies the writer's thread until the returned semaphore is signalled, so that writes queue behind
    /// it; waits without blocking a thread of the cooperative pool, which the writes need.
    func holdingWriter() async -> DispatchSemaphore {
        let gate = DispatchSemaphore(value: 0)
        await withCheckedContinuation { started in
            writer.submit({ _ in
                started.resume()
                gate.wait()
            }, cancelled: { started.resume() })
        }
        return gate
    }
}
