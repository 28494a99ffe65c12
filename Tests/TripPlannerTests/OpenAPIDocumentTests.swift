import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The served OpenAPI document stays true: every documented operation answers with one of its documented statuses.
@Suite struct OpenAPIDocumentTests {
    @Test func everyDocumentedOperationAnswersAsDocumented() async throws {
        try await withApp(.sqliteMemory) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            let document = response.object
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])

            let auth = try await client.signUp("alice")
            let tripID = try #require(try await client.createTrip(auth)["id"] as? String)
            let token = try await client.token(auth)
            let bodies = ["/users": #"{"username":"bob","password":"password1"}"#, "/trips": #"{"name":"x"}"#,
                          "/trips/{id}": #"{"name":"y"}"#]
            let verbs = ["get", "post", "put", "delete"]
            var operations: [(String, String)] = []
            for (path, item) in paths {
                for verb in item.keys where verbs.contains(verb) { operations.append((path, verb)) }
            }
            operations.sort { Self.runOrder($0) < Self.runOrder($1) }
            #expect(operations.count == 13)

            for (path, verb) in operations {
                let operation = try #require(paths[path]?[verb] as? [String: Any])
                let documented = Set((operation["responses"] as? [String: Any] ?? [:]).keys)
                let headers = path == "/tokens/current" ? bearer(token) : auth
                let answer = try await client.execute(
                    uri: path.replacingOccurrences(of: "{id}", with: tripID), method: .init(verb.uppercased())!,
                    headers: headers, body: bodies[path].map(json))
                #expect((200..<300).contains(answer.status.code), "\(verb) \(path) answered \(answer.status)")
                #expect(documented.contains(String(answer.status.code)), "\(verb) \(path) answered \(answer.status)")
            }
        }
    }

    /// Deletions last, and the account's deletion after every other.
    private static func runOrder(_ operation: (path: String, verb: String)) -> String {
        let rank = operation.verb != "delete" ? 0 : operation.path == "/users" ? 2 : 1
        return "\(rank) \(operation.path) \(operation.verb)"
    }
}
