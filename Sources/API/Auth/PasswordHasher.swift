import HummingbirdBcrypt
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import TripCore

/// bcrypt on its own small thread pool: the pool's size caps how many hashes run at once, so a flood
/// queues here instead of starving the event loops or the cooperative pool. The queue is bounded, and
/// logins (checks) go ahead of sign-ups and password changes (new hashes).
public final class PasswordHasher: Service {
    private let cost: UInt8
    private let pool: NIOThreadPool
    private let gate: BcryptGate
    /// bcrypt runs so far, for tests that show a limit holds before bcrypt.
    let checks = Atomic<Int>(0)
    /// A well-formed hash of the same cost that matches no password, so unknown users cost as much as known ones.
    private let dummyHash: String

    public init(cost: Int, threads: Int = NIOSingletons.groupLoopCountSuggestion) {
        self.cost = UInt8(cost)
        dummyHash = "$2b$" + (cost < 10 ? "0" : "") + "\(cost)$" + "abcdefghijklmnopqrstuuJ7qAkzEJy2Dd5ixm3m0Dh6hSvlzFpwO"
        pool = NIOThreadPool(numberOfThreads: threads)
        gate = BcryptGate(slots: threads, capacity: Limits.passwordChecksQueued)
        pool.start()
    }

    public func hash(_ password: String) async throws -> String {
        try await gate.run(.signUp) { try await running { [cost] in Bcrypt.hash(password, cost: cost) } }
    }

    /// Checks `password` against `hash`, or against the dummy hash when there is no account; throws
    /// `UnusablePasswordHash` without running bcrypt when `hash` is malformed or costs more than the server runs.
    public func verify(_ password: String, against hash: String?) async throws -> Bool {
        if let hash, let flaw = BcryptHash.flaw(hash) { throw UnusablePasswordHash(flaw: flaw) }
        // No password the rule refuses can match: bcrypt stops at a NUL byte and reads 72 bytes at most.
        let fits = PasswordRule.refusal(of: password) == nil
        checks.add(1, ordering: .relaxed)
        let matches = try await gate.run(.login) {
            try await running { [dummyHash] in Bcrypt.verify(password, hash: hash ?? dummyHash) }
        }
        return matches && fits && hash != nil
    }

    /// Runs `body` on the pool; once shutdown has begun the pool refuses it, and the request gets 503.
    private func running<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
        do {
            return try await pool.runIfActive(body)
        } catch is NIOThreadPoolError.ThreadPoolInactive, is CancellationError {
            throw Problem(.serviceUnavailable, "The server is shutting down; try again shortly.", headers: [.retryAfter: "1"])
        }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await close()
    }

    /// Stops the pool once hashes in flight finish, for a hasher that never ran as a service.
    public func close() async throws {
        try await pool.shutdownGracefully()
    }
}
