import Logging
import ServiceLifecycle
import Synchronization

/// Keeps serving for a while after SIGTERM with `/ready` answering 503, so that a load balancer stops sending
/// requests before the server stops accepting them. Run it after the application in one service group: the group
/// shuts services down in reverse order, so this one's delay passes before the server's drain begins.
public final class ShutdownDelay: Service {
    private let delay: Duration
    private let logger: Logger
    private let draining = Atomic<Bool>(false)

    public init(_ delay: Duration, logger: Logger) {
        self.delay = delay
        self.logger = logger
    }

    /// Whether SIGTERM has come, and `/ready` should say so.
    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    public func run() async throws {
        try? await gracefulShutdown()
        draining.store(true, ordering: .relaxed)
        guard delay > .zero else { return }
        logger.info("Shutting down: /ready answers 503 for \(delay) before the server stops accepting")
        try? await Task.sleep(for: delay)
    }
}
