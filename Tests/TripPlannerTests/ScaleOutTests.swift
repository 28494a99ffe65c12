import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Two servers on one database, as production runs them: nothing that decides a request lives in only one,
/// except that a read may trust a caller its server authenticated within `recentCallerLifetime`.
@Suite struct ScaleOutTests {
    private static let recentCallerLifetime = Duration.milliseconds(200)

    private func withTwoServers(
        _ backend: Backend, _ body: @Sendable (any TestClientProtocol, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await backend.withTwoStores { first, second in
            var logger = Logger(label: "test")
            logger.logLevel = .error
            let settings = ServerSettings(port: 0, bcryptCost: 4, recentCallerLifetime: Self.recentCallerLifetime)
            let one = buildApplication(settings, store: first, logger: logger)
            let two = buildApplication(settings, store: second, logger: logger)
            try await one.test(.live) { a in
                try await two.test(.live) { b in try await body(a, b) }
            }
        }
    }

    @Test(.tags(.live), arguments: Backend.shareable)
    func everythingWrittenThroughOneServerHoldsOnTheOther(backend: Backend) async throws {
        try await withTwoServers(backend) { a, b in
            let auth = try await a.signUp("alice")
            let token = try await a.token(auth)
            let trip = try await b.createTrip(bearer(token), TripRouteTests.europe)
            let id = try #require(trip["id"] as? String)
            let read = try await a.execute(uri: "/trips/\(id)", method: .get, headers: auth)
            #expect(read.object["name"] as? String == "Europe")
            #expect(try await b.execute(uri: "/users", method: .get, headers: auth).status == .ok)

            #expect(try await b.execute(uri: "/trips", method: .get, headers: bearer(token)).status == .ok)
            #expect(try await a.execute(uri: "/tokens/current", method: .delete, headers: bearer(token)).status == .noContent)
            try await Task.sleep(for: Self.recentCallerLifetime)
            expectProblem(try await b.execute(uri: "/trips", method: .get, headers: bearer(token)), .unauthorized)
            expectProblem(try await b.execute(uri: "/trips", method: .post, headers: bearer(token), body: json(#"{"name":"x"}"#)), .unauthorized)

            #expect(try await b.execute(uri: "/users", method: .get, headers: auth).status == .ok)
            #expect(try await a.execute(uri: "/users", method: .delete, headers: auth).status == .noContent)
            expectProblem(try await b.execute(uri: "/trips", method: .post, headers: auth, body: json(#"{"name":"x"}"#)), .unauthorized)
            try await Task.sleep(for: Self.recentCallerLifetime)
            expectProblem(try await b.execute(uri: "/users", method: .get, headers: auth), .unauthorized)
        }
    }

    @Test(.tags(.live), arguments: Backend.shareable)
    func concurrentSignUpsOfOneNameGiveExactlyOneAccount(backend: Backend) async throws {
        try await withTwoServers(backend) { a, b in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<20 {
                    let client = i.isMultiple(of: 2) ? a : b
                    group.addTask {
                        try await client.execute(
                            uri: "/users", method: .post, body: json(#"{"username":"sam","password":"password\#(i)"}"#)
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 19)
        }
    }
}
