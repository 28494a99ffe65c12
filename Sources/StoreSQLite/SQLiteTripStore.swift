import Foundation
import GRDB
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import TripCore

/// The embedded store: one SQLite file in WAL mode, trips' waypoints kept as one JSON document.
///
/// One connection writes, since SQLite allows one writer; `readerCount` read-only connections read
/// WAL snapshots beside it. Each runs on a thread of its own.
public final class SQLiteTripStore: TripStore, Service {
    let writer: DedicatedConnection
    let writes: GroupCommit
    /// Empty for an in-memory database, which only its writer can see.
    private let readers: [DedicatedConnection]
    private let readsStarted = Atomic<Int>(0)
    private let isOpen = Atomic<Bool>(true)
    let logger: Logger
    /// Stamps creations, replacements and deletions.
    let clock: WallClock
    private let metrics = StoreCallMetrics(store: "sqlite")

    /// Retries a lock that another connection holds every millisecond until `limit` has passed. SQLite's own
    /// timeout sleeps up to 100 ms between tries, so a writer that commits batch after batch can keep another
    /// process's writer waiting for the whole timeout.
    private static func waitingFairly(upTo limit: TimeInterval) -> Database.BusyCallback {
        let tries = Int(limit * 1000)
        return { numberOfTries in
            guard numberOfTries < tries else { return false }
            usleep(1000)
            return true
        }
    }

    /// Opens `path`, or a private in-memory database for `":memory:"`. A write that waits longer than
    /// `busyTimeout` for another process's lock, or finds `maxQueuedWrites` already waiting for the
    /// writer, fails as `StoreError.unavailable`.
    public init(
        path: String, busyTimeout: TimeInterval = 5, readerCount: Int = max(1, System.coreCount / 2),
        maxQueuedWrites: Int = 1024, clock: WallClock = .system, logger: Logger = Logger(label: "trip-planner.sqlite")
    ) throws {
        var config = Configuration()
        config.busyMode = .callback(Self.waitingFairly(upTo: busyTimeout))
        let database: DatabaseQueue
        var readOnly: [DatabaseQueue] = []
        if path == ":memory:" {
            database = try DatabaseQueue(configuration: config)
        } else {
            config.journalMode = .wal
            database = try DatabaseQueue(path: path, configuration: config)
            // GRDB's WAL set-up chooses NORMAL, which may lose the last commits on power loss.
            try database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            config.readonly = true
            readOnly = try (0..<readerCount).map { _ in try DatabaseQueue(path: path, configuration: config) }
        }
        writer = DedicatedConnection(database)
        writes = GroupCommit(writer, maxQueued: maxQueuedWrites)
        readers = readOnly.map(DedicatedConnection.init)
        self.clock = clock
        self.logger = logger
    }

    /// The database file, or `:memory:`.
    public var path: String { writer.database.path }

    public func prepare() async throws {
        try await translatingErrors { try await writer.run { try Self.migrator.migrate($0) } }
    }

    public func checkAvailability() async throws {
        try await reading { db in _ = try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// After graceful shutdown, finishes the calls already queued, then closes the database.
    public func run() async throws {
        try? await gracefulShutdown()
        try await close()
    }

    public func close() async throws {
        guard isOpen.exchange(false, ordering: .relaxed) else { return }
        for reader in readers { try await reader.close() }
        try await writer.close()
    }

    /// Runs `body` on a reader, outside any explicit transaction: every read here is a single
    /// statement, which SQLite runs in a read transaction of its own.
    func reading<T: Sendable>(
        operation: String = #function, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await translatingErrors(operation) { try await nextReader.run { try $0.unsafeRead(body) } }
    }

    /// Runs `body` on a reader in one read transaction, so that its statements all see one snapshot.
    func readingSnapshot<T: Sendable>(
        operation: String = #function, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await translatingErrors(operation) { try await nextReader.run { try $0.read(body) } }
    }

    /// The readers in turn, or the writer of an in-memory database.
    private var nextReader: DedicatedConnection {
        readers.isEmpty ? writer : readers[readsStarted.add(1, ordering: .relaxed).oldValue % readers.count]
    }

    /// Runs `body` on the writer, atomically, and returns once it is committed to disk.
    func writing<T: Sendable>(
        operation: String = #function, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await translatingErrors(operation) { try await writes.write(body) }
    }

    /// Runs a database call, turning SQLite's faults into `StoreError`s and logging their text, and measures it.
    private func translatingErrors<T>(_ operation: String = #function, _ body: () async throws -> T) async throws -> T {
        do {
            return try await metrics.measure(operation, body)
        } catch let error as DatabaseError {
            throw translate(error)
        } catch is NIOThreadPoolError.ThreadPoolInactive, is CancellationError {
            // A closed connection's thread pool refuses calls with one or the other.
            throw StoreError.unavailable
        }
    }

    private func translate(_ error: DatabaseError) -> any Error {
        switch error.resultCode {
        case .SQLITE_CONSTRAINT where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY:
            return StoreError.unknownOwner
        case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_FULL,
            .SQLITE_PERM, .SQLITE_PROTOCOL:
            logger.error("SQLite unavailable", metadata: ["error": "\(error)"])
            return StoreError.unavailable
        default:
            return error
        }
    }
}
