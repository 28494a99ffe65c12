import Hummingbird
import JSON
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import TripCore

/// One client's live change stream: its catch-up from the cursor, the event `synced`, then each change as its reader's
/// feed moves. Events go through an `Outbox` to a task of their own that writes them, so a reader too slow to take
/// them is seen, and closed, while the stream goes on reading.
struct LiveChangeFeed<Store: ChangeFeedStore & LiveFeedStore> {
    let streams: ChangeStreams<Store>
    let identity: Identity
    /// The catch-up's first page, read before the response began so that its errors are problem documents; let go once
    /// sent, since a stream lasts.
    let first: FirstPage
    let connectionClosed: EventLoopFuture<Void>
    let logger: Logger

    func write(to writer: inout any ResponseBodyWriter) async throws {
        let outbox = Outbox(budget: streams.budget)
        let stream = streams.open(
            reader: identity.user.id, proof: identity.proof, outbox: outbox, sentThrough: first.position)
        defer {
            streams.close(stream)
            outbox.release()
        }
        connectionClosed.whenComplete { _ in stream.end(.readerLeft) }
        let connection = ConnectionWriter(writer)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await connection.drain(outbox)
                } catch {
                    stream.end(.readerLeft)
                    throw error
                }
            }
            let ending = await withGracefulShutdownHandler {
                await produce(stream, into: outbox)
            } onGracefulShutdown: {
                stream.end(.shuttingDown)
            }
            logger.info("Live change stream ended: \(ending.rawValue)", metadata: ["reason": "\(ending)"])
            LiveStreamMetrics.ended(ending)
            switch ending {
            case .revoked, .slowReader, .readerLeft: group.cancelAll()
            case .replaced, .shuttingDown, .feedExpired, .storeFailed: outbox.finish()
            }
            try await group.waitForAll()
        }
    }

    /// Fills the outbox until the stream ends, and says why it did. No page outlives its sending: a stream lasts.
    private func produce(_ stream: LiveStream, into outbox: Outbox) async -> LiveStream.Ending {
        outbox.send(EventStreamText.retry(milliseconds: Limits.streamRetryMilliseconds))
        do {
            guard var cursor = try await catchUp(stream, into: outbox) else { return stream.ending ?? .slowReader }
            outbox.send(EventStreamText.event("synced", id: cursor, data: Self.synced(cursor)))
            stream.sent(through: cursor.position)
            while true {
                switch await stream.next() {
                case .end(let ending):
                    return ending
                case .heartbeat:
                    outbox.send(EventStreamText.heartbeat)
                    stream.sent()
                case .changes:
                    var hasMore = true
                    while hasMore {
                        let page = try await streams.store.changePage(reader: identity.user.id, since: cursor, budget: Self.budget)
                        let sent = send(page, to: outbox)
                        if sent.unsent > streams.settings.unsentBytes || !sent.withinBudget { return .slowReader }
                        (cursor, hasMore) = (page.cursor, page.hasMore)
                    }
                    stream.sent(through: cursor.position)
                }
            }
        } catch let error as StoreError where error == .cursorExpired {
            return .feedExpired
        } catch {
            logger.warning("Reading a live stream's feed failed; closing it", metadata: ["error": "\(error)"])
            return .storeFailed
        }
    }

    /// Sends the catch-up, paced by the reader, and returns the cursor after it; nil when the stream ended meanwhile
    /// or the process's budget ran out.
    private func catchUp(_ stream: LiveStream, into outbox: Outbox) async throws -> ChangeCursor? {
        var cursor: ChangeCursor
        var hasMore: Bool
        do {
            let page = first.take()
            guard send(page, to: outbox).withinBudget else { return nil }
            (cursor, hasMore) = (page.cursor, page.hasMore)
        }
        while hasMore {
            await outbox.waitForRoom(below: streams.settings.unsentBytes / 2)
            if stream.ending != nil { return nil }
            let page = try await streams.store.changePage(reader: identity.user.id, since: cursor, budget: Self.budget)
            guard send(page, to: outbox).withinBudget else { return nil }
            (cursor, hasMore) = (page.cursor, page.hasMore)
        }
        return cursor
    }

    /// Queues each change of `page` as an event whose id is the cursor just after it; says the most unsent, and
    /// whether every send stayed within the budget.
    private func send(_ page: ChangePage, to outbox: Outbox) -> Outbox.Sent {
        var sent = Outbox.Sent(unsent: 0, withinBudget: true)
        for (change, position) in zip(page.changes, page.positions) {
            var json = JSONWriter(capacity: 512)
            json.change(change)
            let id = ChangeCursor(feed: page.cursor.feed, position: position)
            let next = outbox.send(EventStreamText.event("change", id: id, data: json.bytes))
            sent = Outbox.Sent(unsent: max(sent.unsent, next.unsent), withinBudget: sent.withinBudget && next.withinBudget)
        }
        return sent
    }

    private static func synced(_ cursor: ChangeCursor) -> [UInt8] {
        var json = JSONWriter(capacity: 48)
        json.raw(#"{"cursor":"#)
        json.string(cursor.text)
        json.raw("}")
        return json.bytes
    }

    private static var budget: PageBudget { .changePage(limit: Limits.changePageDefault) }
}

/// The first page of a stream's catch-up, handed over once.
final class FirstPage: Sendable {
    private let page: Mutex<ChangePage?>
    /// Where the page leaves the reader's feed.
    let position: Int64

    init(_ page: ChangePage) {
        self.page = Mutex(page)
        position = page.cursor.position
    }

    func take() -> ChangePage {
        page.withLock { page in
            defer { page = nil }
            return page!
        }
    }
}

/// The response's writer, handed to the one task that writes a stream's events. Hummingbird's writer is not declared
/// `Sendable`; only this task uses it, while the stream's own task fills the outbox.
private final class ConnectionWriter: @unchecked Sendable {
    private var writer: (any ResponseBodyWriter)?

    init(_ writer: any ResponseBodyWriter) {
        self.writer = writer
    }

    /// Writes what the outbox hands out until it is finished, then ends the response; throws when cancelled.
    func drain(_ outbox: Outbox) async throws {
        guard var writer = writer.take() else { return }
        while case let buffers = await outbox.take(), !buffers.isEmpty {
            try await writer.write(contentsOf: buffers)
            outbox.taken(buffers.reduce(0) { $0 + $1.readableBytes })
        }
        try Task.checkCancellation()
        try await writer.finish(nil)
    }
}
