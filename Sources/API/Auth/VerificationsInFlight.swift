import Synchronization

/// bcrypt runs under way, so that requests presenting the same credentials at once share one.
final class VerificationsInFlight: Sendable {
    private struct Key: Hashable {
        let credential: Credential
        let hash: String?
    }

    private let running = Mutex<[Key: Task<Bool, any Error>]>([:])
    private let callers = Atomic(0)

    /// Callers waiting for a run, their own or one they share; tests wait on it to know every caller has joined.
    var waiting: Int { callers.load(ordering: .relaxed) }

    func run(
        _ credential: Credential, hash: String?, _ verify: @escaping @Sendable () async throws -> Bool
    ) async throws -> Bool {
        let key = Key(credential: credential, hash: hash)
        let task = running.withLock { running in
            if let task = running[key] { return task }
            let task = Task { try await verify() }
            running[key] = task
            return task
        }
        callers.add(1, ordering: .relaxed)
        defer {
            callers.subtract(1, ordering: .relaxed)
            running.withLock { if $0[key] == task { $0[key] = nil } }
        }
        return try await task.value
    }
}
