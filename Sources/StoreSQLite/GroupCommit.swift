import GRDB
import NIOPosix
import Synchronization
import TripCore

/// Writes that queue up while the writer is busy commit together: one transaction and one sync to disk
/// for all of them, each in a savepoint of its own, so that a write that fails undoes only itself.
/// No write is acknowledged before the commit that holds it is on disk.
final class GroupCommit: Sendable {
    private struct Queue {
        var writes: [any QueuedWrite] = []
        var draining = false
    }

    private let writer: DedicatedConnection
    private let maxQueued: Int
    private let queue = Mutex(Queue())

    /// Past `maxQueued` writes waiting for the writer, more are refused at once as unavailable.
    init(_ writer: DedicatedConnection, maxQueued: Int) {
        self.writer = writer
        self.maxQueued = maxQueued
    }

    /// Writes waiting for the writer; tests wait on it to know their writes have queued.
    var queued: Int { queue.withLock { $0.writes.count } }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let admission = queue.withLock { queue -> (queued: Bool, startsDrain: Bool) in
                guard queue.writes.count < maxQueued else { return (false, false) }
                queue.writes.append(PendingWrite(body, continuation))
                defer { queue.draining = true }
                return (true, !queue.draining)
            }
            guard admission.queued else {
                continuation.resume(throwing: StoreError.unavailable)
                return
            }
            if admission.startsDrain {
                writer.submit(drain, cancelled: { self.fail(with: NIOThreadPoolError.ThreadPoolInactive()) })
            }
        }
    }

    /// Commits what is queued, batch after batch, until nothing is.
    private func drain(_ database: DatabaseQueue) {
        while let batch = takeQueued() {
            do {
                try database.write { db in
                    for write in batch {
                        write.run(in: db)
                        // SQLite rolls the whole transaction back on some errors, such as a full disk.
                        if !db.isInsideTransaction, let failure = write.failure { throw failure }
                    }
                }
                for write in batch { write.finish(commitFailure: nil) }
            } catch {
                for write in batch { write.finish(commitFailure: error) }
            }
        }
    }

    private func takeQueued() -> [any QueuedWrite]? {
        queue.withLock { queue in
            guard !queue.writes.isEmpty else {
                queue.draining = false
                return nil
            }
            defer { queue.writes = [] }
            return queue.writes
        }
    }

    private func fail(with error: any Error) {
        while let batch = takeQueued() {
            for write in batch { write.finish(commitFailure: error) }
        }
    }
}

private protocol QueuedWrite: Sendable {
    var failure: (any Error)? { get }
    /// Runs the write in a savepoint of the open transaction.
    func run(in db: Database)
    /// Answers the caller: with the write's own outcome, unless the commit failed.
    func finish(commitFailure: (any Error)?)
}

/// Touched only on the writer's thread until `finish` hands its outcome to the waiting caller.
private final class PendingWrite<T: Sendable>: QueuedWrite, @unchecked Sendable {
    private let body: @Sendable (Database) throws -> T
    private let continuation: CheckedContinuation<T, any Error>
    private var outcome: Result<T, any Error>?

    init(_ body: @escaping @Sendable (Database) throws -> T, _ continuation: CheckedContinuation<T, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    var failure: (any Error)? {
        if case .failure(let error) = outcome { error } else { nil }
    }

    func run(in db: Database) {
        outcome = Result {
            var value: T?
            try db.inSavepoint {
                value = try body(db)
                return .commit
            }
            return value!
        }
    }

    func finish(commitFailure: (any Error)?) {
        if let commitFailure {
            continuation.resume(throwing: commitFailure)
        } else if let outcome {
            continuation.resume(with: outcome)
        }
    }
}
