import Testing

/// Reports as skipped when MongoDB cases cannot run; `make test` always sets the server.
@Suite struct BackendSelectionTests {
    @Test(.enabled(if: Backend.mongoURL != nil, "MONGODB_TEST_URL is not set: every MongoDB case is skipped"))
    func mongoCasesRunWhenAServerIsNamed() async throws {
        #expect(Backend.all.contains(.mongo))
        try await Backend.mongo.withStore { store in try await store.checkAvailability() }
    }
}
