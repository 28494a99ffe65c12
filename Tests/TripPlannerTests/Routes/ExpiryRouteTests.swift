import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TripCore

/// Tokens and share links expire by the server's clock, moved by the test rather than waited for.
@Suite struct ExpiryRouteTests {
    private static func settings(_ clock: ManualClock) -> ServerSettings {
        var settings = ServerSettings.testing
        settings.clock = clock.wallClock
        return settings
    }

    /// Dates in responses are whole seconds.
    private static func date(_ value: Any?) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: value as? String ?? ""))
    }

    @Test(arguments: Backend.all)
    func aTokenAuthenticatesUntilItsExpiry(backend: Backend) async throws {
        let clock = ManualClock()
        try await withApp(backend, settings: Self.settings(clock)) { client in
            let auth = try await client.signUp("alice")
            let issued = try await client.execute(uri: "/tokens", method: .post, headers: auth).object
            let token = try #require(issued["token"] as? String)
            let expiresAt = try Self.date(issued["expiresAt"])

            clock.advance(by: expiresAt.timeIntervalSince(clock.now) - 1)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: bearer(token)).status == .ok)
            clock.advance(by: 2)
            let expired = try await client.execute(uri: "/trips", method: .get, headers: bearer(token))
            expectProblem(expired, .unauthorized)
        }
    }

    @Test(arguments: Backend.all)
    func aShareLinkOpensAndIsListedUntilItsExpiry(backend: Backend) async throws {
        let clock = ManualClock(Date(milliseconds: 1_600_000_000_000))
        try await withApp(backend, settings: Self.settings(clock)) { client in
            let auth = try await client.signUp("alice")
            let trip = try #require(try await client.createTrip(auth)["id"] as? String)
            let made = try await client.executeJSON(
                uri: "/trips/\(trip)/shares", method: .post, headers: auth, body: json(#"{"expiresInDays":1}"#)).object
            let url = try #require(made["url"] as? String)
            #expect(try Self.date(made["createdAt"]) == clock.now)
            #expect(try Self.date(made["expiresAt"]) == clock.now + 86400)
            let listed = { try await client.execute(uri: "/trips/\(trip)/shares", method: .get, headers: auth).array.count }

            clock.advance(by: 86399.999)
            #expect(try await client.execute(uri: url, method: .get).status == .ok)
            #expect(try await listed() == 1)
            clock.advance(by: 0.001)
            #expect(try await client.execute(uri: url, method: .get).status == .notFound)
            #expect(try await listed() == 0)
        }
    }
}
