@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct TokenRouteTests {
    @Test(arguments: Backend.all)
    func parallelRequestsAreIssuedNoMoreTokensThanTheLimit(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let answers = try await Self.issue(60, to: auth, through: [client])
            Self.expectTheLimitIssuedAndTheRestRefused(answers, of: 60)
        }
    }

    @Test(arguments: Backend.shareable)
    func parallelRequestsToTwoProcessesAreIssuedNoMoreTokensThanTheLimit(backend: Backend) async throws {
        try await withTwoApps(backend) { apps in
            let auth = try await apps[0].client.signUp("alice")
            let answers = try await Self.issue(60, to: auth, through: apps.map(\.client))
            Self.expectTheLimitIssuedAndTheRestRefused(answers, of: 60)
        }
    }

    /// Each answer's status and `Retry-After`.
    private static func issue(
        _ count: Int, to auth: HTTPFields, through clients: [any TestClientProtocol]
    ) async throws -> [(status: HTTPResponse.Status, retryAfter: Int?)] {
        try await withThrowingTaskGroup(of: (status: HTTPResponse.Status, retryAfter: Int?).self) { group in
            for i in 0..<count {
                let client = clients[i % clients.count]
                group.addTask {
                    let response = try await client.execute(uri: "/tokens", method: .post, headers: auth)
                    return (response.status, response.headers[.retryAfter].flatMap { Int($0) })
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    private static func expectTheLimitIssuedAndTheRestRefused(_ answers: [(status: HTTPResponse.Status, retryAfter: Int?)], of count: Int) {
        #expect(answers.filter { $0.status == .created }.count == Limits.tokenIssuesPerMinute)
        let refused = answers.filter { $0.status == .tooManyRequests }
        #expect(refused.count == count - Limits.tokenIssuesPerMinute)
        #expect(refused.allSatisfy { (1...60).contains($0.retryAfter ?? 0) }, "\(refused.map(\.retryAfter))")
    }

    @Test(arguments: Backend.all)
    func issuedTokenAuthenticatesUntilRevoked(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let issued = try await client.execute(uri: "/tokens", method: .post, headers: auth)
            #expect(issued.status == .created)
            let token = try #require(issued.object["token"] as? String)
            #expect(token.count >= 32)
            let expiresAt = try #require(issued.object["expiresAt"] as? String)
            #expect(try Date(expiresAt, strategy: .iso8601) > .now)
            let me = try await client.execute(uri: "/users", method: .get, headers: bearer(token))
            #expect(me.object["username"] as? String == "alice")
            #expect(try await client.execute(uri: "/tokens/current", method: .delete, headers: bearer(token)).status == .noContent)
            expectProblem(try await client.execute(uri: "/users", method: .get, headers: bearer(token)), .unauthorized)
            expectProblem(try await client.execute(uri: "/trips", method: .get, headers: bearer(token)), .unauthorized)
        }
    }

    @Test
    func tokensNeedTheRightScheme() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let token = try await client.token(auth)
            expectProblem(try await client.execute(uri: "/tokens", method: .post, headers: bearer(token)), .unauthorized)
            expectProblem(try await client.execute(uri: "/tokens/current", method: .delete, headers: auth), .unauthorized)
            expectProblem(try await client.execute(uri: "/tokens", method: .post, headers: basic("alice", "wrong-password")), .unauthorized)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: bearer(token)).status == .ok)
        }
    }

    @Test func schemesAreCaseInsensitiveAndSpacesAroundCredentialsDoNotCount() async throws {
        try await withApp(.sqliteMemory) { client in
            let token = try await client.token(try await client.signUp("alice"))
            for header in ["bearer \(token)", "BEARER \t \(token)", "Bearer   \(token)"] {
                let me = try await client.execute(uri: "/users", method: .get, headers: [.authorization: header])
                #expect(me.object["username"] as? String == "alice", "\(header)")
            }
            expectProblem(try await client.execute(uri: "/users", method: .get, headers: [.authorization: "Bearer \(token)x"]), .unauthorized)
        }
    }

    @Test(arguments: Backend.all)
    func tokensAreTheirOwners(backend: Backend) async throws {
        try await withApp(backend) { client in
            let alice = try await client.token(try await client.signUp("alice"))
            let bob = try await client.token(try await client.signUp("bob"))
            #expect(try await client.execute(uri: "/users", method: .get, headers: bearer(alice)).object["username"] as? String == "alice")
            #expect(try await client.execute(uri: "/users", method: .get, headers: bearer(bob)).object["username"] as? String == "bob")
            _ = try await client.execute(uri: "/tokens/current", method: .delete, headers: bearer(alice))
            #expect(try await client.execute(uri: "/users", method: .get, headers: bearer(bob)).status == .ok)
        }
    }
}
