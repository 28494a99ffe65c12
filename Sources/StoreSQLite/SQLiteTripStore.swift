import Foundation
import GRDB
import Logging
import ServiceLifecycle
import TripCore

/// The embedded store: one SQLite file in WAL mode, trips' waypoints kept as one JSON document.
public final class SQLiteTripStore: TripStore, Service {
    let writer: any DatabaseWriter
    let logger: Logger

    /// Opens `path`, or a private in-memory database for `":memory:"`. A write that waits longer than
    /// `busyTimeout` for another process's lock fails as `StoreError.unavailable`.
    public init(
        path: String, busyTimeout: TimeInterval = 5, logger: Logger = Logger(label: "trip-planner.sqlite")
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
    }

    /// The database file, or `:memory:`.
    public var path: String { writer.path }

    public func prepare() async throws {
        try await translatingErrors {
            try await Self.migrator.migrate(writer)
        }
    }

    public func checkAvailability() async throws {
        try await reading { db in _ = try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try writer.close()
    }

    /// Runs `body` on one of the pool's readers. Every read here is a single statement, which SQLite runs
    /// in a transaction of its own, so GRDB's extra transaction around the closure is skipped.
    func reading<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await translatingErrors { try await writer.unsafeRead(body) }
    }

    /// Runs a database call, turning SQLite's faults into `StoreError`s and logging their text.
    func translatingErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError {
            throw translate(error)
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
