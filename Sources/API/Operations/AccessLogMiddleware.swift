import Hummingbird
import Logging
import NIOCore
import Synchronization

/// One log line per request once its response is written: method, path, status, duration, bytes sent, client address
/// and request id; never headers, query strings or bodies, which may hold credentials. Probes log at debug level.
struct AccessLogMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: TripRequestContext,
        next: (Request, TripRequestContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        var response = try await next(request, context)
        let path = request.uri.path
        let level: Logger.Level = Self.probes.contains(path) ? .debug : .info
        guard context.logger.logLevel <= level else { return response }
        let logger = context.logger
        let line: Logger.Message = "\(request.method) \(Self.loggable(path)) \(response.status.code)"
        let metadata: Logger.Metadata = [
            "method": "\(request.method)", "path": "\(Self.loggable(path))", "status": "\(response.status.code)",
            "client": "\(context.clientAddress)",
        ]
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            let counting = CountingWriter(writer)
            do {
                try await body.write(counting)
            } catch {
                Self.log(line, metadata.merging(["error": "the body was not sent whole"]) { $1 }, counting.sent, since: started, level: level, to: logger)
                throw error
            }
            Self.log(line, metadata, counting.sent, since: started, level: level, to: logger)
        }
        return response
    }

    private static func log(
        _ line: Logger.Message, _ metadata: Logger.Metadata, _ sent: SentBytes, since started: ContinuousClock.Instant,
        level: Logger.Level, to logger: Logger
    ) {
        var metadata = metadata
        metadata["bytes"] = "\(sent.count)"
        metadata["duration_ms"] = "\(Double((ContinuousClock.now - started) / .microseconds(1)).rounded() / 1000)"
        logger.log(level: level, line, metadata: metadata)
    }

    static let probes: Set<String> = ["/health", "/ready", "/metrics"]

    /// The path, with the token of a share or invitation link, which opens a trip to whoever holds it, left out, since
    /// the router reads some spellings of such a path as the link (`LinkPath`).
    static func loggable(_ path: String) -> String {
        LinkPath(of: path).map { "/\($0.rawValue)/{token}" } ?? path
    }
}

/// The bytes a response body's writes have passed on.
private final class SentBytes: Sendable {
    private let total = Atomic<Int>(0)
    var count: Int { total.load(ordering: .relaxed) }
    func add(_ count: Int) { total.add(count, ordering: .relaxed) }
}

/// Passes writes on to the connection's writer, counting their bytes.
private struct CountingWriter: ResponseBodyWriter {
    var inner: any ResponseBodyWriter
    let sent = SentBytes()

    init(_ inner: any ResponseBodyWriter) {
        self.inner = inner
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        sent.add(buffer.readableBytes)
        try await inner.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await inner.finish(trailingHeaders)
    }
}
