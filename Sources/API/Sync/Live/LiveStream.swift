import Synchronization
import TripCore

/// One open live change stream as the process's `ChangeStreams` sees it: whose feed it follows, the credentials that
/// opened it, and what the stream has to do next.
final class LiveStream: Sendable {
    /// Why a stream ends before its client leaves.
    enum Ending: String, Sendable {
        case revoked = "its credentials were revoked"
        case replaced = "the account opened more streams than allowed"
        case slowReader = "its reader fell too far behind"
        case shuttingDown = "the server is shutting down"
        case feedExpired = "its cursor expired"
        case readerLeft = "its reader left"
        case storeFailed = "reading its feed failed"
    }

    enum Signal: Equatable {
        case changes, heartbeat
        case end(Ending)
    }

    fileprivate struct State {
        /// The latest change of the reader's feed the stream has sent, or been told of.
        var latest: Int64
        var changed = false
        var heartbeatDue = false
        var ending: Ending?
        var lastSent: ContinuousClock.Instant
        var waiter: CheckedContinuation<Signal, Never>?
    }

    /// Orders streams by age: the oldest of an account's goes first.
    let number: Int
    let reader: OwnerID
    let proof: Identity.Proof
    /// Where its events wait for the client; `ChangeStreams` ends a stream whose client stopped taking them.
    let outbox: Outbox
    private let state: Mutex<State>

    init(number: Int, reader: OwnerID, proof: Identity.Proof, outbox: Outbox, sentThrough latest: Int64) {
        self.number = number
        self.reader = reader
        self.proof = proof
        self.outbox = outbox
        state = Mutex(State(latest: latest, lastSent: .now))
    }

    /// Tells the stream its reader's feed now ends at `latest`.
    func feedEnds(at latest: Int64) {
        signal { state in
            guard latest > state.latest else { return }
            state.latest = latest
            state.changed = true
        }
    }

    /// Asks for a heartbeat when nothing was sent for `interval`.
    func heartbeatIfIdle(for interval: Duration, now: ContinuousClock.Instant) {
        signal { state in
            if now - state.lastSent >= interval { state.heartbeatDue = true }
        }
    }

    var ending: Ending? { state.withLock { $0.ending } }

    /// Ends the stream: it stops waiting for changes, and for room in its outbox.
    func end(_ ending: Ending) {
        signal { state in
            if state.ending == nil { state.ending = ending }
        }
        outbox.finish()
    }

    /// The stream sent what its feed held through `latest`, or a heartbeat.
    func sent(through latest: Int64 = 0) {
        state.withLock { state in
            state.latest = max(state.latest, latest)
            state.lastSent = .now
        }
    }

    /// The next thing to do, waiting for one; an ending comes before anything else.
    func next() async -> Signal {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Signal? in
                    if let signal = state.take() { return signal }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            end(.shuttingDown)
        }
    }

    private func signal(_ change: (inout State) -> Void) {
        let resumed = state.withLock { state -> (CheckedContinuation<Signal, Never>, Signal)? in
            change(&state)
            guard let waiter = state.waiter, let signal = state.take() else { return nil }
            state.waiter = nil
            return (waiter, signal)
        }
        if let (waiter, signal) = resumed { waiter.resume(returning: signal) }
    }
}

extension LiveStream.State {
    fileprivate mutating func take() -> LiveStream.Signal? {
        if let ending { return .end(ending) }
        if changed {
            changed = false
            heartbeatDue = false
            return .changes
        }
        if heartbeatDue {
            heartbeatDue = false
            return .heartbeat
        }
        return nil
    }
}
