@testable import API
import Foundation
import HTTPTypes
import StoreSQLite
import Testing
import TripCore

@Suite struct RateLimitTests {
    /// Two processes whose clocks differ by a few seconds, or one whose request waited that long for the store while
    /// another opened the window: the wait it announces is still at most one window.
    @Test func retryAfterNeverPassesTheWindow() async throws {
        let store = try SQLiteTripStore(path: ":memory:")
        try await store.prepare()
        let later = ManualClock()
        let earlier = ManualClock(later.now.addingTimeInterval(-5))
        func limit(_ clock: ManualClock) -> RateLimit<SQLiteTripStore> {
            RateLimit(store: store, allowed: 1, window: 60, refusal: "Too many.", clock: clock.wallClock)
        }
        try await limit(later).take(.signUps(from: "192.0.2.1"))
        let refusal = await #expect(throws: Problem.self) { try await limit(earlier).take(.signUps(from: "192.0.2.1")) }
        #expect(refusal?.headers[.retryAfter] == "60")
        try await store.close()
    }
}
