import Synchronization

/// bcrypt runs under way, so that requests presenting the same credentials at once share one.
final class VerificationsInFlight: Sendable {
    private struct Key: Hashable {
        let credential: Credential
        let hash: String?
    }

    private let running = Mutex<[Key: Task<Bool, any Error>]>([:])

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
        defer { running.withLock { if $0[key] == task { $0[key] = nil } } }
        return try await task.value
    }
}
