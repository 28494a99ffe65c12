import Foundation
import GRDB
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import TripCore

/// The embedded store: one SQLite file in WAL mode, trips' waypoints kept as one JSON document.
///
/// SQLite calls block, so they run on the store's own threads: one for writes, since SQLite allows one
/// writer, and `readerThreads` for reads of WAL snapshots. Few threads is the point: calls that queue up
/// together run back to back on a thread that is already awake, instead of one wake-up each.
public final class SQLiteTripStore: TripStore, Service {
    let writer: any DatabaseWriter
    let logger: Logger
    private let readThreads: NIOThreadPool
    private let writeThread: NIOThreadPool

    /// Opens `path`, or a private in-memory database for `":memory:"`. A write that waits longer than
    /// `busyTimeout` for another process's lock fails as `StoreError.unavailable`.
    public init(
        path: String, busyTimeout: TimeInterval = 5, readerThreads: Int = max(1, System.coreCount / 2),
        logger: Logger = Logger(label: "trip-planner.sqlite")
    ) throws {
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        if path == ":memory:" {
            writer = try DatabaseQueue(configuration: config)
        } else {
            writer = try DatabasePool(path: path, configuration: config)
        }
        self.logger = logger
        readThreads = NIOThreadPool(numberOfThreads: readerThreads)
        writeThread = NIOThreadPool(numberOfThreads: 1)
        readThreads.start()
        writeThread.start()
    }

    /// The database file, or `:memory:`.
    public var path: String { writer.path }

    public func prepare() async throws {
        try await translatingErrors { try await writeThread.runIfActive { [writer] in try Self.migrator.migrate(writer) } }
    }

    public func checkAvailability() async throws {
        try await reading { db in _ = try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// After graceful shutdown, finishes the calls already queued, then closes the database.
    public func run() async throws {
        try? await gracefulShutdown()
        try await writeThread.shutdownGracefully()
        try await readThreads.shutdownGracefully()
        try writer.close()
    }

    /// Runs `body` on a reader thread. Every read here is a single statement, which SQLite runs in a
    /// transaction of its own, so GRDB's extra transaction around the closure is skipped.
    func reading<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await translatingErrors { try await readThreads.runIfActive { [writer] in try writer.unsafeRead(body) } }
    }

    /// Runs `body` in one transaction on the writer thread.
    func writing<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await translatingErrors { try await writeThread.runIfActive { [writer] in try writer.write(body) } }
    }

    /// Runs a database call, turning SQLite's faults into `StoreError`s and logging their text.
    private func translatingErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError {
            throw translate(error)
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw StoreError.unavailable
        }
    }

    private func translate(_ error: DatabaseError) -> any Error {
        switch error.resultCode {
        case .SQLITE_CONSTRAINT where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE:
            return StoreError.duplicateUsername
        case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_FULL,
            .SQLITE_PERM, .SQLITE_PROTOCOL:
            logger.error("SQLite unavailable", metadata: ["error": "\(error)"])
            return StoreError.unavailable
        default:
            return error
        }
    }
}
