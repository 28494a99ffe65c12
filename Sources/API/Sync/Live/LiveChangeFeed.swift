import Hummingbird
import JSON
import Logging
import ServiceLifecycle
import TripCore

/// One client's live change stream: its catch-up from the cursor, the event `synced`, then each change as its reader's
/// feed moves. Events go through an `Outbox` to a task of their own that writes them, so a reader too slow to take
/// them is seen, and closed, while the stream goes on reading.
struct LiveChangeFeed<Store: ChangeFeedStore & LiveFeedStore> {
    let streams: ChangeStreams<Store>
    let identity: Identity
    /// The catch-up's first page, read before the response began so that its errors are problem documents.
    let first: ChangePage
    let logger: Logger

    func write(to writer: inout any ResponseBodyWriter) async throws {
        let stream = streams.open(reader: identity.user.id, proof: identity.proof, sentThrough: first.cursor.position)
        defer { streams.close(stream) }
        let outbox = Outbox()
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
            switch ending {
            case .revoked, .slowReader, .readerLeft: group.cancelAll()
            case .replaced, .shuttingDown, .feedExpired, .storeFailed: outbox.finish()
            }
            try await group.waitForAll()
        }
    }

    /// Fills the outbox until the stream ends, and says why it did.
    private func produce(_ stream: LiveStream, into outbox: Outbox) async -> LiveStream.Ending {
        let reader = identity.user.id
        outbox.send(EventStreamText.retry(milliseconds: Limits.streamRetryMilliseconds))
        do {
            var page = first
            send(page, to: outbox)
            while page.hasMore {
                await outbox.waitForRoom(below: streams.settings.unsentBytes / 2)
                if let ending = stream.ending { return ending }
                page = try await streams.store.changePage(reader: reader, since: page.cursor, budget: Self.budget)
                send(page, to: outbox)
            }
            var cursor = page.cursor
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
                    repeat {
                        page = try await streams.store.changePage(reader: reader, since: cursor, budget: Self.budget)
                        cursor = page.cursor
                        if send(page, to: outbox) > streams.settings.unsentBytes { return .slowReader }
                    } while page.hasMore
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

    /// Queues each change of `page` as an event whose id is the cursor just after it; returns the bytes now unsent.
    @discardableResult
    private func send(_ page: ChangePage, to outbox: Outbox) -> Int {
        var unsent = 0
        for (change, position) in zip(page.changes, page.positions) {
            var json = JSONWriter(capacity: 512)
            json.change(change)
            let id = ChangeCursor(feed: page.cursor.feed, position: position)
            unsent = outbox.send(EventStreamText.event("change", id: id, data: json.bytes))
        }
        return unsent
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
