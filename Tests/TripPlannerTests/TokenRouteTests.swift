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
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<60 { group.addTask { try await client.execute(uri: "/tokens", method: .post, headers: auth).status } }
                return try await group.reduce(into: [HTTPResponse.Status: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(statuses == [.created: Limits.tokenIssuesPerMinute, .tooManyRequests: 60 - Limits.tokenIssuesPerMinute])
        }
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

    @Test(arguments: Backend.all)
    func tokensNeedTheRightScheme(backend: Backend) async throws {
        try await withApp(backend) { client in
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
