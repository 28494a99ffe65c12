import Archive
import Foundation
@testable import StoreMongo
import Synchronization
import Testing
import TripCore

/// How the MongoDB store shares its threads and clients: no call keeps one while it waits.
@Suite(.enabled(if: Backend.mongoURL != nil, "MONGODB_TEST_URL is not set: `make test` sets it to run this"))
struct MongoThreadTests {
    /// An export reads trips and their shares side by side; on a pool of one client, the two readers take turns.
    @Test func anExportOf500TripsWithTheirSharesCompletesOnAPoolOfOneClient() async throws {
        let database = "\(try #require(Backend.mongoURL))/pool_\(UUID().uuidString.prefix(12))"
        let store = try MongoTripStore(url: "\(database)?maxPoolSize=1")
        #expect(store.clients.maxClients == 1)
        try await store.prepare()
        let owner = User(id: OwnerID(), username: "alice", createdAt: Date(milliseconds: 1_700_000_000_000))
        let trips = (0..<500).map { index in
            Trip(
                id: TripID(), owner: owner.id, name: "Trip \(index)", waypoints: [], createdAt: owner.createdAt,
                updatedAt: owner.createdAt, version: 1)
        }
        let shares = trips.prefix(3).map { trip in
            ArchiveRecord.share(Share(trip: trip.id, owner: owner.id, expiresAt: nil), tokenDigest: "share-\(trip.id)")
        }
        try await store.restore([.user(Account(user: owner, passwordHash: ArchiveContractTests.hash))] + trips.map(ArchiveRecord.trip) + shares)
        let exported = try await Self.outcome(within: .seconds(120)) {
            try await ArchiveContractTests.export(store).count
        }
        #expect(exported == 1 + 500 + 3, "the export did not finish within 120 s")
        if exported != nil {
            try await store.dropDatabase()
            try await store.close()
        } else {
            let cleaner = try MongoTripStore(url: database, threads: 1)
            try await cleaner.dropDatabase()
            try await cleaner.close()
        }
    }

    /// On one thread and one client, a transaction that keeps losing a write conflict lets another call run between
    /// its attempts, and then succeeds.
    @Test func aTransactionWaitingToRunAgainLetsOtherCallsHaveTheThreadAndClient() async throws {
        let database = "\(try #require(Backend.mongoURL))/retry_\(UUID().uuidString.prefix(12))"
        let store = try MongoTripStore(url: database, threads: 1)
        let otherCallRan = Atomic<Bool>(false)
        let (attempts, attempted) = AsyncStream<Void>.makeStream()
        let transaction = Task {
            try await store.inTransaction { _ in
                attempted.yield()
                guard otherCallRan.load(ordering: .relaxed) else {
                    throw MongoFailure(message: "write conflict", labels: [MongoFailure.transientTransactionError])
                }
            }
        }
        for await _ in attempts { break }
        #expect(try await store.account(username: "alice") == nil)
        otherCallRan.store(true, ordering: .relaxed)
        await #expect(throws: Never.self) { try await transaction.value }
        try await store.dropDatabase()
        try await store.close()
    }

    /// `body`'s result, or nil if `limit` passes first; a body that never returns is left behind, still running.
    static func outcome<T: Sendable>(
        within limit: Duration, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T? {
        let (outcomes, first) = AsyncStream<Result<T?, any Error>>.makeStream()
        Task { first.yield(await Result { try await body() }) }
        let timer = Task {
            try? await Task.sleep(for: limit)
            first.yield(.success(nil))
        }
        defer { timer.cancel() }
        for await outcome in outcomes { return try outcome.get() }
        return nil
    }
}
