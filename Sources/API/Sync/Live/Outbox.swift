import NIOCore
import Synchronization

/// A live stream's events on their way to the connection: what the stream has written and the client has not yet
/// taken. The stream measures a slow reader by its `unsent` bytes, by the process's `budget` of them, and by how long
/// the client has taken nothing while some wait.
final class Outbox: Sendable {
    private struct State {
        var queued: [ByteBuffer] = []
        /// Bytes queued or being written.
        var unsent = 0
        /// Since when the client has taken nothing while bytes were unsent.
        var waitingSince = ContinuousClock.now
        var finished = false
        var taker: CheckedContinuation<[ByteBuffer], Never>?
        var roomWaiter: (below: Int, continuation: CheckedContinuation<Void, Never>)?
    }

    private let state = Mutex(State())
    private let budget: UnsentBudget

    init(budget: UnsentBudget) {
        self.budget = budget
    }

    /// What `send` found: the stream's unsent bytes, and whether all streams' together are within the budget.
    struct Sent {
        let unsent: Int
        let withinBudget: Bool
    }

    /// Queues `buffer`.
    @discardableResult
    func send(_ buffer: ByteBuffer) -> Sent {
        let withinBudget = budget.add(buffer.readableBytes)
        let (taker, batch, unsent) = state.withLock { state in
            if state.unsent == 0 { state.waitingSince = .now }
            state.unsent += buffer.readableBytes
            guard let taker = state.taker else {
                state.queued.append(buffer)
                return (nil as CheckedContinuation<[ByteBuffer], Never>?, [ByteBuffer](), state.unsent)
            }
            state.taker = nil
            return (taker, [buffer], state.unsent)
        }
        taker?.resume(returning: batch)
        return Sent(unsent: unsent, withinBudget: withinBudget)
    }

    /// Whether bytes have waited for the client longer than `limit` without it taking any.
    func isStalled(longerThan limit: Duration, now: ContinuousClock.Instant) -> Bool {
        state.withLock { $0.unsent > 0 && now - $0.waitingSince > limit }
    }

    /// Gives back to the budget whatever is still unsent, once the stream has ended.
    func release() {
        let unsent = state.withLock { state in
            defer { state.unsent = 0 }
            return state.unsent
        }
        budget.add(-unsent)
    }

    /// No more events: `take` hands out what is queued, then nothing, and a catch-up waiting for room goes on.
    func finish() {
        let (taker, roomWaiter) = state.withLock { state in
            state.finished = true
            defer { (state.taker, state.roomWaiter) = (nil, nil) }
            return (state.taker, state.roomWaiter?.continuation)
        }
        taker?.resume(returning: [])
        roomWaiter?.resume()
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
        budget.add(-bytes)
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.unsent -= bytes
            state.waitingSince = .now
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
