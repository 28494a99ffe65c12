import StoreMongo
import Testing

extension Backend {
    /// Why no MongoDB case can run, or nil when the server answers a ping; asked once per run.
    private static let mongoUnavailability = Task<String?, Never> {
        guard let url = mongoURL else { return "MONGODB_TEST_URL is not set" }
        do {
            let store = try MongoTripStore(url: "\(url)/availability", threads: 1)
            let answer = await Result { try await store.checkAvailability() }
            try await store.close()
            try answer.get()
            return nil
        } catch {
            return "MongoDB at \(url) does not answer (\(error))"
        }
    }

    /// The MongoDB server's URL; a recorded failure that says what to do when `MONGODB_TEST_URL` is unset.
    static func mongoServer() throws -> String {
        try #require(mongoURL, "MONGODB_TEST_URL is not set: \(mongoAdvice)")
    }

    /// The MongoDB server's URL; a recorded failure that says what to do unless the server answers.
    @discardableResult static func requireMongo() async throws -> String {
        let unavailability = await mongoUnavailability.value
        try #require(unavailability == nil, "\(unavailability ?? ""): \(mongoAdvice)")
        return try mongoServer()
    }
}

/// MongoDB, the production store, is tested in every run unless `SKIP_MONGODB=1` leaves it out, which this says.
@Suite struct MongoAvailabilityTests {
    @Test func mongoDBAnswersUnlessSkippedByRequest() async throws {
        guard !Backend.skipsMongo else {
            Issue.record("MongoDB, the production store, was skipped by request (SKIP_MONGODB=1): no MongoDB case ran", severity: .warning)
            return
        }
        try await Backend.requireMongo()
    }
}
