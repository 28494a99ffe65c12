import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1

/// Enforces, before Hummingbird sees a request, the HTTP/1.1 rules it leaves to applications: the whole request within
/// its deadline, one `Host`, only the chunked transfer coding, `Expect: 100-continue` answered before the body, and a
/// problem document for a request the parser rejects. A refused request closes its connection.
final class RequestGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Reaches the handler reading a request's body when the request missed its deadline.
    struct DeadlineExceeded: Error {}

    private let deadline: TimeAmount
    private let logger: Logger
    private var timer: Scheduled<Void>?
    private var responding = false
    private var refused = false
    /// An HTTP/1.0 request without keep-alive: its connection closes once the response is written.
    private var closesAfterResponse = false
    /// A live change stream is being written, which only ends when the client goes.
    private var streaming = false

    init(deadline: TimeAmount, logger: Logger) {
        self.deadline = deadline
        self.logger = logger
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is RequestBytesArrived.Event {
            if timer == nil, !refused {
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                timer = context.eventLoop.scheduleTask(in: deadline) {
                    let (handler, context) = loopBound.value
                    handler.refuse(handler.deadlineProblem, error: DeadlineExceeded(), context: context)
                }
            }
            return
        }
        if case ChannelEvent.inputClosed = event, streaming {
            // A client never half-closes a stream it still reads: it left, and the stream ends now rather than at
            // the next heartbeat that fails.
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if let problem = Self.refusal(of: head) {
                refuse(problem, error: nil, context: context)
                return
            }
            closesAfterResponse = !head.isKeepAlive
            if head.version.isAtLeastHTTP11, head.headers.contains(name: "expect") {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
        case .body:
            break
        case .end:
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, !refused else {
            context.fireErrorCaught(error)
            return
        }
        logger.debug("Refusing a request the HTTP parser rejected", metadata: ["error": "\(parserError)"])
        let problem = switch parserError {
        case .headerOverflow:
            Problem(.init(code: 431, reasonPhrase: "Request Header Fields Too Large"),
                "The request's headers exceed \(Limits.maxHeaderBytes) bytes.")
        default: Problem(.badRequest, "The request is not valid HTTP/1.1: \(parserError).")
        }
        refuse(problem, error: parserError, context: context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !refused else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200:
            responding = true
            streaming = head.headers.first(name: "content-type") == "text/event-stream"
        case .end where closesAfterResponse:
            let written = promise ?? context.eventLoop.makePromise()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            written.futureResult.whenComplete { _ in loopBound.value.close(promise: nil) }
            context.write(data, promise: written)
            return
        case .end:
            responding = false
            streaming = false
        default:
            break
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    /// Answers with `problem` unless a response is already under way, tells Hummingbird's reader about `error`, and closes.
    private func refuse(_ problem: Problem, error: (any Error)?, context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        let answered = responding ? nil : Self.response(problem)
        refused = true
        if let error { context.fireErrorCaught(error) }
        guard let (head, body) = answered else {
            context.close(promise: nil)
            return
        }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in Self.closeLingering(loopBound.value) }
    }

    /// Ends the output at once but reads, and drops, what the client is still sending for a while before closing, so
    /// that unread bytes do not make the kernel reset the connection before the client has read the answer.
    private static func closeLingering(_ context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let outputClosed = context.eventLoop.makePromise(of: Void.self)
        outputClosed.futureResult.whenFailure { _ in loopBound.value.close(promise: nil) }
        context.close(mode: .output, promise: outputClosed)
        context.eventLoop.scheduleTask(in: lingering) { loopBound.value.close(promise: nil) }
    }

    private static let lingering = TimeAmount.seconds(2)

    private static func refusal(of head: HTTPRequestHead) -> Problem? {
        if head.method == .CONNECT {
            return Problem(.notImplemented, "CONNECT is not supported: this server is not a proxy.")
        }
        if head.version.isAtLeastHTTP11, head.headers["host"].count != 1 {
            return Problem(.badRequest, "An HTTP/1.1 request needs exactly one Host header.")
        }
        let codings = head.headers[canonicalForm: "transfer-encoding"]
        if !codings.isEmpty, codings.map({ $0.lowercased() }) != ["chunked"] {
            return Problem(.notImplemented, "The only transfer coding accepted is chunked.")
        }
        let expectations = head.headers[canonicalForm: "expect"]
        if !expectations.isEmpty {
            guard expectations.map({ $0.lowercased() }) == ["100-continue"] else {
                return Problem(.expectationFailed, "The only expectation supported is 100-continue.")
            }
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > Limits.maxBodyBytes {
                return Problem(.contentTooLarge, "The request body exceeds \(Limits.maxBodyBytes) bytes.")
            }
        }
        return nil
    }

    private static func response(_ problem: Problem) -> (HTTPResponseHead, ByteBuffer)? {
        guard let document = try? problem.document() else { return nil }
        var headers = HTTPHeaders(problem.headers.map { ($0.name.rawName, $0.value) })
        headers.add(name: "content-type", value: Problem.contentType)
        headers.add(name: "content-length", value: String(document.count))
        headers.add(name: "connection", value: "close")
        let status = HTTPResponseStatus(statusCode: problem.status.code, reasonPhrase: problem.status.reasonPhrase)
        return (HTTPResponseHead(version: .http1_1, status: status, headers: headers), ByteBuffer(bytes: document))
    }

    private var deadlineProblem: Problem {
        Problem(.requestTimeout, "The request did not arrive whole within \(deadline.nanoseconds / 1_000_000_000) seconds.")
    }
}

extension HTTPVersion {
    fileprivate var isAtLeastHTTP11: Bool { major > 1 || (major == 1 && minor >= 1) }
}
