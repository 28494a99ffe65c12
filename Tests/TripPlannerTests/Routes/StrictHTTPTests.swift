@testable import API
import Hummingbird
import HummingbirdTesting
import Testing

/// Request and response headers clients rely on: the body's media type and coding, caching, and the challenge a 401 offers.
@Suite struct StrictHTTPTests {
    @Test(arguments: [
        ("text/plain", nil), ("application/x-www-form-urlencoded", nil), ("application/jsonx", nil), (nil, nil),
        ("application/json", "gzip"), ("application/json", "identity, br"),
    ] as [(String?, String?)])
    func aBodyNotSentAsPlainJSONIsUnsupportedAndStoresNothing(contentType: String?, contentEncoding: String?) async throws {
        var fields: HTTPFields = [:]
        fields[.contentType] = contentType
        fields[.contentEncoding] = contentEncoding
        let headers = fields
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let sent = try await client.execute(uri: "/trips", method: .post, headers: auth + headers, body: json(#"{"name":"x"}"#))
            expectProblem(sent, .unsupportedMediaType)
            let signUp = try await client.execute(
                uri: "/users", method: .post, headers: headers, body: json(#"{"username":"bob","password":"password1"}"#))
            expectProblem(signUp, .unsupportedMediaType)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.isEmpty)
        }
    }

    @Test(arguments: ["application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json", "application/json"])
    func jsonMediaTypesAndIdentityCodingAreAccepted(contentType: String) async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let sent = try await client.execute(
                uri: "/trips", method: .post, headers: auth + [.contentType: contentType, .contentEncoding: "identity"],
                body: json(#"{"name":"x"}"#))
            #expect(sent.status == .created)
        }
    }

    @Test func tokensAreNeverStoredAndTripsAreCachedPrivately() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let issued = try await client.execute(uri: "/tokens", method: .post, headers: auth)
            #expect(issued.headers[.cacheControl] == "no-store")
            let created = try await client.createTripResponse(auth)
            #expect(created.headers[.cacheControl] == "private, no-cache")
            let id = try #require(created.object["id"] as? String)
            for uri in ["/trips", "/trips/\(id)"] {
                #expect(try await client.execute(uri: uri, method: .get, headers: auth).headers[.cacheControl] == "private, no-cache")
            }
        }
    }

    @Test func quotasAreProblemDocumentsThatNameTheirLimit() async throws {
        var settings = ServerSettings.testing
        settings.tripsPerAccount = 2
        try await withApp(.sqliteMemory, settings: settings) { client in
            let auth = try await client.signUp("alice")
            for _ in 0..<2 { _ = try await client.createTrip(auth) }
            let third = try await client.executeJSON(uri: "/trips", method: .post, headers: auth, body: json(#"{"name":"x"}"#))
            expectProblem(third, .unprocessableContent)
            #expect((third.object["detail"] as? String)?.contains("as many trips as allowed") == true)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.count == 2)

            for _ in 0..<Limits.tokenIssuesPerMinute { _ = try await client.token(auth) }
            let refused = try await client.execute(uri: "/tokens", method: .post, headers: auth)
            expectProblem(refused, .tooManyRequests)
            #expect((refused.object["detail"] as? String)?.contains("\(Limits.tokenIssuesPerMinute) tokens a minute") == true)
            #expect(refused.headers[.retryAfter].flatMap(Int.init).map { (1...60).contains($0) } == true)
            _ = try await client.token(try await client.signUp("bob"))
        }
    }

    @Test func a401OffersOnlyTheSchemesItsRouteAccepts() async throws {
        try await withApp(.sqliteMemory) { client in
            let challenges: [(String, HTTPRequest.Method, String)] = [
                ("/tokens", .post, #"Basic realm="trip-planner""#),
                ("/tokens/current", .delete, #"Bearer realm="trip-planner""#),
                ("/trips", .get, #"Basic realm="trip-planner", Bearer realm="trip-planner""#),
                ("/users", .get, #"Basic realm="trip-planner", Bearer realm="trip-planner""#),
            ]
            for (uri, method, challenge) in challenges {
                let refused = try await client.execute(uri: uri, method: method)
                expectProblem(refused, .unauthorized)
                #expect(refused.headers[.wwwAuthenticate] == challenge, "\(method) \(uri)")
            }
            try await client.signUp("alice")
            let bearerToBasicOnly = try await client.execute(uri: "/tokens", method: .post, headers: bearer("not-a-token"))
            #expect(bearerToBasicOnly.headers[.wwwAuthenticate] == #"Basic realm="trip-planner""#)
        }
    }
}
