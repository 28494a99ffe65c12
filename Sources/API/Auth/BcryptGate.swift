import Synchronization

/// Admits bcrypt runs to the hashing threads, one per thread: waiting logins go before waiting sign-ups,
/// so a login waits at most for the runs already started; once `capacity` wait, more are refused at once.
final class BcryptGate: Sendable {
    enum Priority: Sendable { case login, signUp }

    private struct State {
        var running = 0
        var logins: [CheckedContinuation<Void, Never>] = []
        var signUps: [CheckedContinuation<Void, Never>] = []
        var waiting: Int { logins.count + signUps.count }

        func report() {
            SecurityMetrics.bcryptRunning.record(running)
            SecurityMetrics.bcryptWaiting.record(waiting)
        }
    }

    private let slots: Int
    private let capacity: Int
    private let state = Mutex(State())

    init(slots: Int, capacity: Int) {
        self.slots = slots
        self.capacity = capacity
    }

    /// Runs waiting for a slot, as `bcryptWaiting` reports them; tests wait on it to order their runs.
    var waiting: Int { state.withLock { $0.waiting } }

    /// Runs `body` once a slot is free; throws 503 with `Retry-After` when too many already wait.
    func run<T>(_ priority: Priority, _ body: () async throws -> T) async throws -> T {
        guard await enter(priority) else {
            throw Problem(.serviceUnavailable, "Too many passwords are being checked; try again shortly.", headers: [.retryAfter: "1"])
        }
        defer { leave() }
        return try await body()
    }

    private enum Admission { case now, queued, refused }

    private func enter(_ priority: Priority) async -> Bool {
        var admission = Admission.queued
        await withCheckedContinuation { continuation in
            admission = state.withLock { state in
                defer { state.report() }
                if state.running < slots {
                    state.running += 1
                    return .now
                }
                guard state.waiting < capacity else { return .refused }
                switch priority {
                case .login: state.logins.append(continuation)
                case .signUp: state.signUps.append(continuation)
                }
                return .queued
            }
            if admission != .queued { continuation.resume() }
        }
        return admission != .refused
    }

    /// Hands the slot to the next waiting login, else sign-up, else frees it.
    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.report() }
            if !state.logins.isEmpty { return state.logins.removeFirst() }
            if !state.signUps.isEmpty { return state.signUps.removeFirst() }
            state.running -= 1
            return nil
        }
        next?.resume()
    }
}
