import NIOCore

/// Tells `RequestGuard` that bytes arrived before the HTTP parser sees them, so a request's deadline starts with its
/// first byte rather than with its completed head.
final class RequestBytesArrived: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    struct Event {}

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(Event())
        context.fireChannelRead(data)
    }
}
