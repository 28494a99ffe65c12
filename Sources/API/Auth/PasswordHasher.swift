import HummingbirdBcrypt
import NIOCore
import NIOPosix
import ServiceLifecycle

/// bcrypt on its own small thread pool: the pool's size caps how many hashes run at once,
/// so a flood of logins queues here instead of starving the event loops or the cooperative pool.
public final class PasswordHasher: Service {
    private let cost: UInt8
    private let pool: NIOThreadPool
    /// A well-formed hash of the same cost that matches no password, so unknown users cost as much as known ones.
    private let dummyHash: String

    public init(cost: Int, threads: Int = NIOSingletons.groupLoopCountSuggestion) {
        self.cost = UInt8(cost)
        dummyHash = "$2b$" + (cost < 10 ? "0" : "") + "\(cost)$" + "abcdefghijklmnopqrstuuJ7qAkzEJy2Dd5ixm3m0Dh6hSvlzFpwOa"
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    public func hash(_ password: String) async throws -> String {
        try await pool.runIfActive { [cost] in Bcrypt.hash(password, cost: cost) }
    }

    /// Checks `password` against `hash`, or against the dummy hash when there is no account.
    public func verify(_ password: String, against hash: String?) async throws -> Bool {
        let fits = Limits.passwordBytes.contains(password.utf8.count)
        let matches = try await pool.runIfActive { [dummyHash] in
            Bcrypt.verify(password, hash: hash ?? dummyHash)
        }
        return matches && fits && hash != nil
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await pool.shutdownGracefully()
    }
}
