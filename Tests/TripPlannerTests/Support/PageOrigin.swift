import Foundation
import Hummingbird
import ServiceLifecycle
import Synchronization

/// A web origin of its own for a browser test: one page served at `/` on 127.0.0.1 and a port of its own, and what
/// the page then posts to `/result` from that same origin, kept for the test to read.
final class PageOrigin: Sendable {
    let port: Int
    private let posted: Posted

    private init(port: Int, posted: Posted) {
        self.port = port
        self.posted = posted
    }

    /// `http://127.0.0.1:PORT`, as a browser writes it in `Origin`.
    var origin: String { "http://127.0.0.1:\(port)" }

    /// The first result the page has posted, once it has.
    var result: String? { posted.bodies.withLock { $0.first } }

    /// Serves `page` for as long as `body` runs.
    static func serving<T: Sendable>(_ page: String, _ body: @Sendable (PageOrigin) async throws -> T) async throws -> T {
        let posted = Posted()
        let router = Router()
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
        }
        router.post("/result") { request, _ -> HTTPResponse.Status in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            posted.bodies.withLock { $0.append(body) }
            return .noContent
        }
        let (ports, announce) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { announce.yield($0.localAddress?.port ?? 0) }, logger: .quiet)
        let services = ServiceGroup(configuration: .init(services: [app], logger: .quiet))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var next = ports.makeAsyncIterator()
            let origin = PageOrigin(port: await next.next() ?? 0, posted: posted)
            let outcome = await Result { try await body(origin) }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try outcome.get()
        }
    }
}

/// The bodies posted to `/result`, in order.
private final class Posted: Sendable {
    let bodies = Mutex<[String]>([])
}
