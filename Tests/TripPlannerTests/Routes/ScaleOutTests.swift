@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Two servers on one database, as production runs them: nothing that decides a request lives in only
/// one. A logout, a password change or an account deletion on one is refused by the other's very next request.
@Suite struct ScaleOutTests {
    private func withTwoServers(
        _ backend: Backend, _ body: @Sendable (any TestClientProtocol, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await backend.withTwoStores { first, second in
            let one = buildApplication(.testing, store: first, logger: .quiet)
            let two = buildApplication(.testing, store: second, logger: .quiet)
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
            expectProblem(try await b.execute(uri: "/trips", method: .get, headers: bearer(token)), .unauthorized)

            #expect(try await b.execute(uri: "/users", method: .get, headers: auth).status == .ok)
            #expect(try await a.execute(uri: "/users", method: .delete, headers: auth).status == .noContent)
            expectProblem(try await b.execute(uri: "/users", method: .get, headers: auth), .unauthorized)
        }
    }

    /// Access a member loses through one server, by removal, a new role, leaving, or the trip's or its owner's
    /// deletion, is refused by the other's very next request, with Basic credentials it has cached and with a token.
    @Test(.tags(.live), arguments: Backend.shareable)
    func accessLostOnOneServerIsRefusedByTheOthersNextRequest(backend: Backend) async throws {
        try await withTwoServers(backend) { a, b in
            let alice = try await a.signUp("alice")
            let bob = try await a.signUp("bob")
            let bobToken = bearer(try await b.token(bob))
            func joined(_ role: String) async throws -> String {
                let trip = try #require(try await a.createTrip(alice)["id"] as? String)
                let invited = try await a.executeJSON(
                    uri: "/trips/\(trip)/invitations", method: .post, headers: alice, body: json(#"{"role":"\#(role)"}"#))
                let url = try #require(invited.object["url"] as? String)
                #expect(try await b.execute(uri: url, method: .post, headers: bob).status == .ok)
                for auth in [bob, bobToken] {
                    #expect(try await b.execute(uri: "/trips/\(trip)", method: .get, headers: auth).status == .ok, "read before")
                }
                return trip
            }
            func refused(_ trip: String, _ what: String) async throws {
                for auth in [bob, bobToken] {
                    expectProblem(try await b.execute(uri: "/trips/\(trip)", method: .get, headers: auth), .notFound)
                    expectProblem(try await b.execute(uri: "/trips/\(trip)/members", method: .get, headers: auth), .notFound)
                    let put = try await b.executeJSON(uri: "/trips/\(trip)", method: .put, headers: auth, body: json(#"{"name":"x"}"#))
                    expectProblem(put, .notFound)
                }
                let listed = try await b.execute(uri: "/trips", method: .get, headers: bob).array.compactMap { $0["id"] as? String }
                #expect(!listed.contains(trip), "\(what)")
            }

            let removed = try await joined("editor")
            #expect(try await a.execute(uri: "/trips/\(removed)/members/bob", method: .delete, headers: alice).status == .noContent)
            try await refused(removed, "removed")

            let demoted = try await joined("editor")
            let role = try await a.executeJSON(
                uri: "/trips/\(demoted)/members/bob", method: .put, headers: alice, body: json(#"{"role":"viewer"}"#))
            #expect(role.status == .ok)
            let put = try await b.executeJSON(uri: "/trips/\(demoted)", method: .put, headers: bobToken, body: json(#"{"name":"x"}"#))
            expectProblem(put, .forbidden)

            let left = try await joined("viewer")
            #expect(try await a.execute(uri: "/trips/\(left)/members/bob", method: .delete, headers: bob).status == .noContent)
            try await refused(left, "left")

            let deleted = try await joined("viewer")
            #expect(try await a.execute(uri: "/trips/\(deleted)", method: .delete, headers: alice).status == .noContent)
            try await refused(deleted, "deleted")

            let orphaned = try await joined("editor")
            #expect(try await a.execute(uri: "/users", method: .delete, headers: alice).status == .noContent)
            try await refused(orphaned, "its owner's account deleted")
            #expect(try await b.execute(uri: "/trips/\(demoted)", method: .get, headers: bob).status == .notFound)
        }
    }

    @Test(.tags(.live), arguments: Backend.shareable)
    func aPasswordChangedOnOneServerRevokesEverythingOnTheOther(backend: Backend) async throws {
        try await withTwoServers(backend) { a, b in
            let old = try await a.signUp("alice")
            let token = try await b.token(old)
            #expect(try await b.execute(uri: "/trips", method: .get, headers: old).status == .ok)
            let change = try await a.executeJSON(
                uri: "/users/password", method: .put, headers: bearer(try await a.token(old)),
                body: json(#"{"currentPassword":"password1","newPassword":"password2"}"#))
            #expect(change.status == .noContent)
            expectProblem(try await b.execute(uri: "/trips", method: .get, headers: old), .unauthorized)
            expectProblem(try await b.execute(uri: "/trips", method: .get, headers: bearer(token)), .unauthorized)
            #expect(try await b.execute(uri: "/trips", method: .get, headers: basic("alice", "password2")).status == .ok)
        }
    }

    @Test(.tags(.live), arguments: Backend.shareable)
    func failuresSplitAcrossServersLockThePair(backend: Backend) async throws {
        try await withTwoServers(backend) { a, b in
            try await a.signUp("alice")
            for i in 0..<Limits.failedLoginsPerClient {
                let server = i.isMultiple(of: 2) ? a : b
                let response = try await server.execute(
                    uri: "/users", method: .get, headers: basic("alice", "wrong-\(i)-pw") + from("203.0.113.5"))
                expectProblem(response, .unauthorized)
            }
            for server in [a, b] {
                let refused = try await server.execute(uri: "/users", method: .get, headers: basic("alice", "password1") + from("203.0.113.5"))
                expectProblem(refused, .tooManyRequests)
            }
        }
    }

    @Test(.tags(.live), arguments: Backend.shareable)
    func concurrentSignUpsOfOneNameGiveExactlyOneAccount(backend: Backend) async throws {
        try await withTwoServers(backend) { a, b in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<10 {
                    let client = i.isMultiple(of: 2) ? a : b
                    group.addTask {
                        try await client.executeJSON(
                            uri: "/users", method: .post, body: json(#"{"username":"sam","password":"password\#(i)"}"#)
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 9)
        }
    }
}
