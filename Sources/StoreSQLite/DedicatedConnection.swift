import GRDB
import NIOPosix

/// A database connection whose calls run one at a time on a thread of its own, since SQLite calls block.
/// A caller never waits for a connection, and calls that queue up run back to back on a thread already awake.
final class DedicatedConnection: Sendable {
    let database: DatabaseQueue
    private let thread = NIOThreadPool(numberOfThreads: 1)

    init(_ database: DatabaseQueue) {
        self.database = database
        thread.start()
    }

    /// Runs `body` on the connection's thread; throws `ThreadPoolInactive` once the connection is shutting down.
    func run<T: Sendable>(_ body: @escaping @Sendable (DatabaseQueue) throws -> T) async throws -> T {
        try await thread.runIfActive { [database] in try body(database) }
    }

    /// Runs `body` on the connection's thread, or `cancelled` instead once the connection is shutting down.
    func submit(_ body: @escaping @Sendable (DatabaseQueue) -> Void, cancelled: @escaping @Sendable () -> Void) {
        thread.submit { [database] state in
            switch state {
            case .active: body(database)
            case .cancelled: cancelled()
            }
        }
    }

    /// Finishes the calls already queued, then closes the connection.
    func close() async throws {
        try await thread.shutdownGracefully()
        try database.close()
    }
}
