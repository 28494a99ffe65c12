import API
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct UserRouteTests {
    @Test(arguments: Backend.all)
    func signUpReturnsTheUserWithoutSecrets(backend: Backend) async throws {
        try await withApp(backend) { client in
            let response = try await client.executeJSON(
                uri: "/users", method: .post, body: json(#"{"username":"alice","password":"password1"}"#))
            #expect(response.status == .created)
            #expect(response.headers[.contentType] == "application/json")
            let user = response.object
            #expect(Set(user.keys) == ["id", "username", "createdAt"])
            #expect(user["username"] as? String == "alice")
            #expect((user["id"] as? String)?.wholeMatch(of: /[0-9a-f]{24}/) != nil)
            #expect(!String(buffer: response.body).contains("password1"))
            #expect(!String(buffer: response.body).contains("$2b$"))
        }
    }

    @Test(arguments: Backend.all)
    func takenUsernameIsAConflict(backend: Backend) async throws {
        try await withApp(backend) { client in
            try await client.signUp("alice")
            let response = try await client.executeJSON(
                uri: "/users", method: .post, body: json(#"{"username":"alice","password":"different1"}"#))
            expectProblem(response, .conflict)
            #expect(try await client.execute(uri: "/users", method: .get, headers: basic("alice", "password1")).status == .ok)
        }
    }

    @Test(arguments: [
        (#"{"username":"al","password":"password1"}"#, "/username"),
        (#"{"username":"\#(String(repeating: "a", count: 65))","password":"password1"}"#, "/username"),
        (#"{"username":"al ice","password":"password1"}"#, "/username"),
        (#"{"username":"al$ice","password":"password1"}"#, "/username"),
        (#"{"username":12345,"password":"password1"}"#, "/username"),
        (#"{"username":{"$ne":null},"password":"password1"}"#, "/username"),
        (#"{"password":"password1"}"#, "/username"),
        (#"{"username":"alice","password":"short12"}"#, "/password"),
        (#"{"username":"alice","password":"\#(String(repeating: "p", count: 73))"}"#, "/password"),
        (#"{"username":"alice","password":"\#(String(repeating: "é", count: 37))"}"#, "/password"),
        (#"{"username":"alice","password":["password1"]}"#, "/password"),
        (#"{"username":"alice"}"#, "/password"),
        (#"["alice","password1"]"#, ""),
    ])
    func invalidSignUpsAreRejectedAndStoreNothing(body: String, pointer: String) async throws {
        try await withApp(.sqliteMemory) { client in
            let response = try await client.executeJSON(uri: "/users", method: .post, body: json(body))
            expectProblem(response, .unprocessableContent)
            let errors = response.object["errors"] as? [[String: String]] ?? []
            #expect(errors.map { $0["pointer"] } == [pointer])
            let check = try await client.executeJSON(
                uri: "/users", method: .post, body: json(#"{"username":"alice","password":"password1"}"#))
            #expect(check.status == .created)
        }
    }

    @Test func passwordLimitIsInBytes() async throws {
        try await withApp(.sqliteMemory) { client in
            let password = String(repeating: "é", count: 36)
            try await client.signUp("alice", password: password)
            #expect(try await client.execute(uri: "/users", method: .get, headers: basic("alice", password)).status == .ok)
        }
    }

    @Test(arguments: ["{", "", "not json", #"{"username":"alice",}"#])
    func unparsableBodyIsABadRequest(body: String) async throws {
        try await withApp(.sqliteMemory) { client in
            expectProblem(try await client.executeJSON(uri: "/users", method: .post, body: json(body)), .badRequest)
        }
    }

    @Test(arguments: Backend.all)
    func getUsersVerifiesCredentials(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let response = try await client.execute(uri: "/users", method: .get, headers: auth)
            #expect(response.status == .ok)
            #expect(response.object["username"] as? String == "alice")
            #expect(response.headers[.cacheControl] == "no-store", "an account is nobody else's to cache")
            #expect(try await client.execute(uri: "/users", method: .get, headers: auth).object["username"] as? String == "alice")
        }
    }

    @Test(arguments: Backend.all)
    func badCredentialsAllLookTheSame(backend: Backend) async throws {
        try await withApp(backend) { client in
            try await client.signUp("alice")
            /// One request id for both, so that their problem documents may be byte for byte the same.
            func named(_ headers: HTTPFields) -> HTTPFields {
                var headers = headers
                headers[HTTPField.Name("X-Request-Id")!] = "same-id"
                return headers
            }
            let wrongPassword = try await client.execute(uri: "/users", method: .get, headers: named(basic("alice", "password2")))
            let unknownUser = try await client.execute(uri: "/users", method: .get, headers: named(basic("mallory", "password1")))
            let none = try await client.execute(uri: "/users", method: .get)
            for response in [wrongPassword, unknownUser, none] {
                expectProblem(response, .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.contains("Basic") == true)
                #expect(response.headers[.wwwAuthenticate]?.contains("Bearer") == true)
            }
            #expect(wrongPassword.body == unknownUser.body)
        }
    }

    @Test(arguments: ["Basic", "Basic !!!", "Basic " + Data("nocolon".utf8).base64EncodedString(), "Digest abc", "Bearer", "Bearer nope", "basic"])
    func malformedAuthorizationIsUnauthorized(header: String) async throws {
        try await withApp(.sqliteMemory) { client in
            try await client.signUp("alice")
            expectProblem(try await client.execute(uri: "/users", method: .get, headers: [.authorization: header]), .unauthorized)
        }
    }

    @Test(arguments: Backend.all)
    func changingThePasswordNeedsTheCurrentOneAndRevokesEveryToken(backend: Backend) async throws {
        try await withApp(backend) { client in
            let old = try await client.signUp("alice")
            let token = try await client.token(old)
            func change(_ body: String, _ auth: HTTPFields) async throws -> TestResponse {
                try await client.executeJSON(uri: "/users/password", method: .put, headers: auth, body: json(body))
            }
            let wrong = try await change(#"{"currentPassword":"password9","newPassword":"password2"}"#, bearer(token))
            expectProblem(wrong, .forbidden)
            expectProblem(try await change(#"{"currentPassword":"password1","newPassword":"short"}"#, old), .unprocessableContent)
            expectProblem(try await change(#"{"currentPassword":"password1","newPassword":"pass\u0000word2"}"#, old), .unprocessableContent)
            expectProblem(try await change(#"{"newPassword":"password2"}"#, old), .unprocessableContent)
            #expect(try await client.execute(uri: "/users", method: .get, headers: old).status == .ok)

            #expect(try await change(#"{"currentPassword":"password1","newPassword":"password2"}"#, bearer(token)).status == .noContent)
            expectProblem(try await client.execute(uri: "/users", method: .get, headers: old), .unauthorized)
            expectProblem(try await client.execute(uri: "/users", method: .get, headers: bearer(token)), .unauthorized)
            #expect(try await client.execute(uri: "/users", method: .get, headers: basic("alice", "password2")).status == .ok)
        }
    }

    @Test func aWrongCurrentPasswordCountsAsAFailedLogin() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let token = try await client.token(auth)
            for i in 0..<Limits.failedLoginsPerClient {
                let wrong = try await client.executeJSON(
                    uri: "/users/password", method: .put, headers: bearer(token),
                    body: json(#"{"currentPassword":"wrong-\#(i)-pw","newPassword":"password2"}"#))
                expectProblem(wrong, .forbidden)
            }
            let fresh = basic("Alice", "password1")
            expectProblem(try await client.execute(uri: "/users", method: .get, headers: fresh), .tooManyRequests)
        }
    }

    @Test(arguments: Backend.all)
    func deletingTheAccountRemovesTripsTokensAndCachedLogins(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            _ = try await client.createTrip(auth)
            let token = try await client.token(auth)
            #expect(try await client.execute(uri: "/users", method: .get, headers: auth).status == .ok)
            #expect(try await client.execute(uri: "/users", method: .delete, headers: auth).status == .noContent)
            expectProblem(try await client.execute(uri: "/users", method: .get, headers: auth), .unauthorized)
            expectProblem(try await client.execute(uri: "/users", method: .get, headers: bearer(token)), .unauthorized)
            let again = try await client.signUp("alice")
            #expect(try await client.execute(uri: "/trips", method: .get, headers: again).array.isEmpty)
        }
    }

    /// The requests share one bcrypt run, so all are past authentication when the first deletes the account.
    @Test(arguments: Backend.all)
    func racingAccountDeletionsAreOneSuccessAndTheRestUnauthorized(backend: Backend) async throws {
        try await withApp(backend) { client in
            try await client.signUp("alice")
            let auth = basic("alice", "password1")
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<6 { group.addTask { try await client.execute(uri: "/users", method: .delete, headers: auth) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.filter { $0.status == .noContent }.count == 1)
            for refused in responses where refused.status != .noContent { expectProblem(refused, .unauthorized) }
        }
    }
}
