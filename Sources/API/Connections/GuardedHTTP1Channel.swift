import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1.1 channel behind a connection cap, with `RequestGuard` between the HTTP parser and Hummingbird.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let connections: ConnectionCap
    let requestDeadline: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admission = connections.admit()
        if admission.admitted {
            channel.closeFuture.whenComplete { _ in connections.release() }
        } else if admission.newlyFull {
            logger.warning(
                "Refusing connections: \(connections.maximum) are open (--max-connections)",
                metadata: ["limit": "\(connections.maximum)"])
        }
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            guard admission.admitted else {
                channel.close(promise: nil)
                return value
            }
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RequestBytesArrived(), position: .before(decoder.handler))
            try pipeline.addHandler(RequestGuard(deadline: requestDeadline, logger: logger), position: .after(decoder.handler))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 as Hummingbird serves it, capped at `connections` and guarded by `RequestGuard`.
    static func guardedHTTP1(
        _ configuration: HTTP1Channel.Configuration, connections: ConnectionCap, requestDeadline: TimeAmount
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                http1: HTTP1Channel(responder: responder, configuration: configuration),
                connections: connections, requestDeadline: requestDeadline)
        }
    }
}
