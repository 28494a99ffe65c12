import Testing

/// Waits until `condition` holds, looking again every millisecond for at most `limit`: a test that orders concurrent
/// work waits for what that work did, never for a fixed time. Past the limit it records what it waited for and throws.
func waitUntil(
    _ what: String, within limit: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("still waiting after \(limit) until \(what)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}
