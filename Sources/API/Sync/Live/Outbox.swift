import NIOCore
import Synchronization

/// A live stream's events on their way to the connection: what the stream has written and the client has not yet
/// taken. The stream measures a slow reader by its `unsent` bytes.
final class Outbox: Sendable {
    private struct State {
        var queued: [ByteBuffer] = []
        /// Bytes queued or being written.
        var unsent = 0
        var finished = false
        var taker: CheckedContinuation<[ByteBuffer], Never>?
        var roomWaiter: (below: Int, continuation: CheckedContinuation<Void, Never>)?
    }

    private let state = Mutex(State())

    /// Queues `buffer` and returns the bytes now unsent.
    @discardableResult
    func send(_ buffer: ByteBuffer) -> Int {
        let (taker, batch, unsent) = state.withLock { state in
            state.unsent += buffer.readableBytes
            guard let taker = state.taker else {
                state.queued.append(buffer)
                return (nil as CheckedContinuation<[ByteBuffer], Never>?, [ByteBuffer](), state.unsent)
            }
            state.taker = nil
            return (taker, [buffer], state.unsent)
        }
        taker?.resume(returning: batch)
        return unsent
    }

    /// No more events: `take` hands out what is queued, then nothing.
    func finish() {
        let taker = state.withLock { state in
            state.finished = true
            defer { state.taker = nil }
            return state.taker
        }
        taker?.resume(returning: [])
    }

    /// What is queued, waiting for some; empty once finished and drained, or when the task is cancelled.
    func take() async -> [ByteBuffer] {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: [ByteBuffer]? = state.withLock { state in
                    if !state.queued.isEmpty || state.finished || Task.isCancelled {
                        defer { state.queued = [] }
                        return Task.isCancelled ? [] : state.queued
                    }
                    state.taker = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            finish()
        }
    }

    /// The connection took `bytes` of what `take` handed out.
    func taken(_ bytes: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.unsent -= bytes
            guard let waiter = state.roomWaiter, state.unsent < waiter.below || state.finished else { return nil }
            state.roomWaiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns once fewer than `bytes` are unsent, or the outbox is finished; how a catch-up waits for its reader.
    func waitForRoom(below bytes: Int) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state in
                    if state.unsent < bytes || state.finished || Task.isCancelled { return true }
                    state.roomWaiter = (bytes, continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.roomWaiter = nil }
                return state.roomWaiter?.continuation
            }
            waiter?.resume()
        }
    }
}
