import Foundation
import GRDB

/// Another connection holding an exclusive lock on a SQLite file, as another program would, until released. Its
/// blocking calls run on a Dispatch thread, never on the cooperative pool.
final class ExclusiveLock: Sendable {
    private let gate = DispatchSemaphore(value: 0)
    private let ended = DispatchSemaphore(value: 0)

    private init() {}

    static func hold(_ path: String) async throws -> ExclusiveLock {
        let lock = ExclusiveLock()
        let other = try DatabaseQueue(path: path)
        try await withCheckedThrowingContinuation { (held: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                var locked = false
                do {
                    try other.inDatabase { db in
                        try db.execute(sql: "BEGIN EXCLUSIVE")
                        locked = true
                        held.resume()
                        lock.gate.wait()
                        try db.execute(sql: "ROLLBACK")
                    }
                } catch {
                    if !locked { held.resume(throwing: error) }
                }
                lock.ended.signal()
            }
        }
        return lock
    }

    /// Rolls the lock's transaction back and waits until it has.
    func release() async {
        gate.signal()
        await withCheckedContinuation { released in
            DispatchQueue.global().async {
                self.ended.wait()
                released.resume()
            }
        }
    }
}
