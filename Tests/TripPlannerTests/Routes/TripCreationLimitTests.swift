@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TripCore

/// Trips created per account in a window are capped, so a create-then-delete loop cannot pile up tombstones.
@Suite struct TripCreationLimitTests {
    private static func limited(to creations: Int) -> ServerSettings {
        var settings = ServerSettings.testing
        settings.tripCreationsPerWindow = creations
        return settings
    }

    @Test(arguments: Backend.all)
    func anAccountPastItsCreationsIsRefusedWithRetryAfterAndOthersAreNot(backend: Backend) async throws {
        try await withApp(backend, settings: Self.limited(to: 3)) { client in
            let alice = try await client.signUp("alice")
            let bob = try await client.signUp("bob")
            expectProblem(
                try await client.executeJSON(uri: "/trips", method: .post, headers: alice, body: json(#"{"name":""}"#)),
                .unprocessableContent)
            for _ in 0..<3 {
                let trip = try #require(try await client.createTrip(alice)["id"] as? String)
                #expect(try await client.execute(uri: "/trips/\(trip)", method: .delete, headers: alice).status == .noContent)
            }
            let refused = try await client.executeJSON(uri: "/trips", method: .post, headers: alice, body: json(#"{"name":"Trip","waypoints":[]}"#))
            expectProblem(refused, .tooManyRequests)
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...Limits.tripCreationWindowSeconds).contains(retryAfter))
            #expect(try await client.execute(uri: "/trips", method: .get, headers: alice).array.isEmpty, "nothing kept")
            _ = try await client.createTrip(bob)
        }
    }

    @Test(arguments: Backend.all)
    func parallelCreationsCannotPassTheLimitTogether(backend: Backend) async throws {
        try await withApp(backend, settings: Self.limited(to: 5)) { client in
            let auth = try await client.signUp("alice")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await client.executeJSON(uri: "/trips", method: .post, headers: auth, body: json(#"{"name":"Trip","waypoints":[]}"#)).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(statuses == [.created: 5, .tooManyRequests: 15])
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func theServerTakesBothLimitsFromAFlagOrAVariable() async throws {
        let database = try ServerProcess.database(for: .sqliteFile)
        defer { ServerProcess.removeFiles(of: database) }
        let server = try await ServerProcess(
            database: database, arguments: ["--trip-creation-limit", "2"], environment: ["SHARED_PAGE_LIMIT": "1"])
        let auth = try await OperationsProcessTests.signUp("alice", port: server.port)
        var statuses: [Int] = []
        for _ in 0..<3 {
            statuses.append(try await RawHTTP.request("POST", port: server.port, "/trips", headers: auth, body: #"{"name":"T"}"#).status)
        }
        #expect(statuses == [201, 201, 429])
        let trips = try JSONSerialization.jsonObject(with: Data(try await RawHTTP.request("GET", port: server.port, "/trips", headers: auth).body.utf8))
        let trip = try #require((trips as? [[String: Any]])?.first?["id"] as? String)
        let share = Data(try await RawHTTP.request("POST", port: server.port, "/trips/\(trip)/shares", headers: auth).body.utf8).jsonObject
        let url = try #require(share["url"] as? String)
        #expect(try await RawHTTP.request("GET", port: server.port, url).status == 200)
        #expect(try await RawHTTP.request("GET", port: server.port, url).status == 429)
    }

    @Test(arguments: Backend.all)
    func aWindowEndsOnTheLimitsClockAndSaysWhenInRetryAfter(backend: Backend) async throws {
        try await backend.withStore { store in try await windowEndsOnItsClock(store) }
    }

    private func windowEndsOnItsClock(_ store: some TripStore) async throws {
        let start = Date(milliseconds: Date.storeNow.milliseconds)
        let clock = ManualClock(start)
        let owner = OwnerID()
        let other = OwnerID()
        let limit = RateLimit(store: store, allowed: 2, window: 3600, refusal: "no", clock: clock.wallClock)
        try await limit.take(.tripCreations(owner))
        try await limit.take(.tripCreations(owner))
        clock.set(start + 1800)
        do {
            try await limit.take(.tripCreations(owner))
            Issue.record("admitted past the limit")
        } catch let problem as Problem {
            #expect(problem.status == .tooManyRequests && problem.headers[.retryAfter] == "1800")
        }
        try await limit.take(.tripCreations(other))
        clock.set(start + 3600)
        try await limit.take(.tripCreations(owner))
    }
}
