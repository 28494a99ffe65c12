import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ServerRouteTests {
    @Test(arguments: Backend.all)
    func healthAndReadiness(backend: Backend) async throws {
        try await withApp(backend) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.object["status"] as? String == "ok")
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok)
        }
    }

    @Test func oversizedBodiesAreRejected() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let padding = String(repeating: "x", count: 1 << 20)
            let body = #"{"name":"big","padding":"\#(padding)"}"#
            expectProblem(try await client.executeJSON(uri: "/trips", method: .post, headers: auth, body: json(body)), .contentTooLarge)
            expectProblem(try await client.executeJSON(uri: "/users", method: .post, body: json(body)), .contentTooLarge)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.isEmpty)
        }
    }

    @Test(arguments: ["PATCH /trips", "DELETE /health", "POST /trips/0123456789abcdef01234567", "PUT /users", "GET /tokens",
                      "POST /openapi.json", "GET /tokens/current", "TRACE /health",
                      "QUERY /trips", "BREW /users"])
    func missingMethodsAreNotAllowed(route: String) async throws {
        try await withApp(.sqliteMemory) { client in
            let parts = route.split(separator: " ")
            let response = try await client.execute(uri: String(parts[1]), method: .init(String(parts[0]))!)
            expectProblem(response, .methodNotAllowed)
            #expect(response.headers[.allow]?.isEmpty == false)
            #expect(response.headers[.allow]?.contains(String(parts[0])) == false)
        }
    }

    @Test func unknownRoutesAreNotFoundProblems() async throws {
        try await withApp(.sqliteMemory) { client in
            expectProblem(try await client.execute(uri: "/nowhere", method: .get), .notFound)
            expectProblem(try await client.execute(uri: "/trips/a/b", method: .get), .notFound)
        }
    }

    @Test(.tags(.live))
    func servesOverARealSocket() async throws {
        try await withApp(.sqliteMemory, .live) { client in
            #expect(client.port != nil && client.port != 0)
            let auth = try await client.signUp("alice")
            let trip = try await client.createTrip(auth, TripRouteTests.europe)
            let id = try #require(trip["id"] as? String)
            let read = try await client.execute(uri: "/trips/\(id)", method: .get, headers: auth)
            #expect(read.status == .ok)
            #expect(read.headers[.eTag] == "\"1\"")
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }
}

extension Tag {
    @Tag static var live: Self
}
