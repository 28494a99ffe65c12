import CMongoc
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization
import TripCore

/// The production store on MongoDB through libmongoc. Every libmongoc call blocks, so each runs on
/// this store's own thread pool; the pool's size bounds the calls in flight, and the client pool
/// is as large, so a thread never waits for a client.
public final class MongoTripStore: TripStore, Service {
    let clients: MongoClientPool
    let logger: Logger
    /// Stamps creations, replacements and deletions.
    let clock: WallClock
    private let threads: NIOThreadPool
    /// Calls running or queued; past `maxPendingCalls` new ones fail at once as unavailable rather than
    /// queue behind calls that may each wait out the server selection timeout.
    private let pendingCalls = Atomic<Int>(0)
    private let maxPendingCalls = 256
    /// This database's change feed, read by `prepare`; cursors name it.
    let changeFeed = Atomic<Int64>(0)
    private let metrics = StoreCallMetrics(store: "mongodb")

    /// `callTimeout` bounds the wait for one answer unless the URL sets `socketTimeoutMS`: 10 s suits requests, while
    /// an export's first page of a large collection may take the database longer.
    /// `threads` sizes the thread pool and the client pool together; without it, the URL's `maxPoolSize` does, and
    /// without that, `defaultThreads`.
    public init(
        url: String, threads: Int? = nil, callTimeout: Duration = .seconds(10), clock: WallClock = .system,
        logger: Logger = Logger(label: "trip-planner.mongodb")
    ) throws {
        clients = try MongoClientPool(url: url, maxClients: threads, defaultClients: Self.defaultThreads, callTimeout: callTimeout, logger: logger)
        let threads = clients.maxClients
        self.threads = NIOThreadPool(numberOfThreads: threads)
        self.threads.start()
        self.clock = clock
        self.logger = logger
    }

    /// Measured on SecantusDB at 16 connections: 4 and 8 threads took the least CPU per request and answered the most
    /// requests, 2 queued calls, 16 and 32 spent more CPU switching between waiting threads; 8 leaves reads room
    /// beside slow journaled writes (README).
    public static let defaultThreads = 8

    public var databaseName: String { clients.databaseName }

    /// Brings the schema up to date (`migrate`) and reads the change feed's name.
    public func prepare() async throws {
        try await migrate()
        let feed = try await on("meta") { meta in
            guard let feed = try meta.findOne(BSONDocument(["_id": .string("changeFeed")]))?.fields.integer("feed") else {
                throw MongoFailure.corrupt(.changeFeed, nil, "malformed changeFeed document")
            }
            return Int64(feed)
        }
        changeFeed.store(feed, ordering: .relaxed)
    }

    public func checkAvailability() async throws {
        try await withDatabase { database in
            let ping = BSONDocument(["ping": .int32(1)])
            let reply = BSONDocument.reply()
            try withExtendedLifetime(ping) { () throws(MongoFailure) in
                try checked { mongoc_client_command_simple(database.client, "admin", ping.pointer, nil, reply.pointer, $0) }
            }
        }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await close()
    }

    /// Stops the thread pool once calls in flight finish; later calls fail as unavailable.
    public func close() async throws {
        try? await threads.shutdownGracefully()
    }

    /// Drops this store's database: for tests that each use their own.
    public func dropDatabase() async throws {
        try await withDatabase { database in
            let handle = mongoc_client_get_database(database.client, database.name)!
            defer { mongoc_database_destroy(handle) }
            try checked { mongoc_database_drop(handle, $0) }
        }
    }

    /// Runs `body` with one collection; see `withDatabase`.
    @discardableResult
    func on<T: Sendable>(
        _ collection: String, operation: String = #function, _ body: @escaping @Sendable (MongoCollection) throws -> T
    ) async throws -> T {
        try await withDatabase(operation: operation) { database in try body(database[collection]) }
    }

    /// Runs `body` in a transaction, and again while it fails transiently, as after a write conflict, until it has
    /// spent `transactionPatience` (see `TransactionPatience`); between attempts it waits with a growing, jittered
    /// backoff, holding no thread or client.
    func inTransaction<T: Sendable>(
        snapshot: Bool = false, operation: String = #function, _ body: @escaping @Sendable (MongoDatabase) throws -> T
    ) async throws -> T {
        let patience = TransactionPatience(Self.transactionPatience)
        return try await withDatabase(operation: operation, retryingWithin: patience) { database in
            try database.inTransaction(snapshot: snapshot, committingUntil: patience.deadline, body)
        }
    }

    static let transactionPatience = Duration.seconds(10)

    /// Runs `body` with a pooled client in one hop to the thread pool, however many calls it makes, translating
    /// libmongoc's failures; with `patience`, runs it again while it fails transiently (see `attempts`).
    @discardableResult
    func withDatabase<T: Sendable>(
        operation: String = #function, retryingWithin patience: TransactionPatience? = nil,
        _ body: @escaping @Sendable (MongoDatabase) throws -> T
    ) async throws -> T {
        try await metrics.measure(operation) {
            try await translatingFailures(retryingWithin: patience) { [clients] in
                try clients.withClient { client in try body(MongoDatabase(client: client, name: clients.databaseName)) }
            }
        }
    }

    private func translatingFailures<T: Sendable>(
        retryingWithin patience: TransactionPatience?, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        guard pendingCalls.add(1, ordering: .relaxed).newValue <= maxPendingCalls else {
            pendingCalls.subtract(1, ordering: .relaxed)
            logger.warning("MongoDB calls are backing up; refusing new ones")
            throw StoreError.unavailable
        }
        defer { pendingCalls.subtract(1, ordering: .relaxed) }
        do {
            return try await attempts(within: patience, body)
        } catch is NIOThreadPoolError.ThreadPoolInactive, is CancellationError {
            // A closed store's thread pool refuses calls with one or the other.
            throw StoreError.unavailable
        } catch let failure as MongoFailure {
            if let corrupt = failure.corrupt { throw StoreError.corrupt(corrupt.record, corrupt.id, failure.message) }
            if failure.isUnavailable {
                logger.error("MongoDB unavailable", metadata: ["error": "\(failure)"])
                throw StoreError.unavailable
            }
            throw failure
        }
    }

    /// Runs `body` on the thread pool; with `patience`, while it fails transiently, runs it again after a backoff
    /// spent off the pool, so that other calls take the thread and client meanwhile.
    private func attempts<T: Sendable>(
        within patience: TransactionPatience?, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        guard let patience else { return try await threads.runIfActive(body) }
        var backoff = RetryBackoff()
        while true {
            do {
                return try await threads.runIfActive { try patience.spending(body) }
            } catch let failure as MongoFailure where failure.labels.contains(MongoFailure.transientTransactionError) {
                guard let wait = patience.spend(backoff.next()) else { throw failure }
                try await Task.sleep(for: wait)
            }
        }
    }
}
