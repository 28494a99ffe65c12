@testable import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Pages of the allowed origins call the API from a browser; nothing changes for anyone else, nor for shared trips.
@Suite struct CORSRouteTests {
    static let app = "https://app.example.com"
    static let local = "http://localhost:3000"

    static var settings: ServerSettings {
        var settings = ServerSettings.testing
        settings.corsOrigins = try! AllowedOrigins(" HTTPS://App.Example.com:443 ,http://localhost:3000")
        return settings
    }

    static func origin(_ origin: String, _ headers: HTTPFields = [:]) -> HTTPFields {
        var headers = headers
        headers[.origin] = origin
        return headers
    }

    static func preflight(_ origin: String, method: String, headers: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [.origin: origin, .accessControlRequestMethod: method]
        fields[.accessControlRequestHeaders] = headers
        return fields
    }

    /// Every CORS header a response carries, by lowercase name.
    static func corsHeaders(_ response: TestResponse) -> [String: String] {
        Dictionary(
            response.headers.filter { $0.name.canonicalName.hasPrefix("access-control-") }.map { ($0.name.canonicalName, $0.value) }
        ) { $0 + ", " + $1 }
    }

    @Test(arguments: ["/trips", "/trips/0123456789abcdef01234567", "/changes", "/tokens", "/no/such/path"])
    func aPreflightFromAnAllowedOriginIsAnsweredWithTheMethodsHeadersAndMaxAge(path: String) async throws {
        try await withApp(.sqliteMemory, settings: Self.settings) { client in
            for origin in [Self.app, Self.local] {
                let response = try await client.execute(
                    uri: path, method: .options,
                    headers: Self.preflight(origin, method: "PATCH", headers: "authorization,content-type,if-match,last-event-id"))
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == origin)
                #expect(response.headers[.accessControlAllowMethods] == "GET, HEAD, POST, PUT, PATCH, DELETE")
                #expect(
                    response.headers[.accessControlAllowHeaders]
                        == "Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, Last-Event-ID, X-Request-Id")
                #expect(response.headers[.accessControlMaxAge] == "600")
                #expect(response.headers[.vary] == "Origin, Access-Control-Request-Method")
                #expect(response.headers[.accessControlAllowCredentials] == nil)
                #expect(response.headers[RequestIDTests.requestID] != nil)
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    /// Only the exact serialisation a browser sends is allowed; anything else is answered as if CORS were off: an
    /// `OPTIONS` preflight is 405, with no CORS header, so the browser refuses.
    @Test(arguments: [
        "https://evil.example", "https://APP.example.com", "https://app.example.com:443", "https://app.example.com/",
        "http://app.example.com", "http://localhost", "null", "*", "https://app.example.com, https://app.example.com",
    ])
    func aPreflightFromAnOriginNotAllowedGetsNoCORSHeaders(origin: String) async throws {
        try await withApp(.sqliteMemory, settings: Self.settings) { client in
            let response = try await client.execute(uri: "/trips", method: .options, headers: Self.preflight(origin, method: "POST"))
            expectProblem(response, .methodNotAllowed)
            #expect(Self.corsHeaders(response).isEmpty)
            #expect(response.headers[.vary] == nil)
        }
    }

    @Test func responsesToAnAllowedOriginNameItAndExposeTheHeadersAClientReads() async throws {
        try await withApp(.sqliteMemory, settings: Self.settings) { client in
            let auth = try await client.signUp("alice")
            let created = try await client.executeJSON(
                uri: "/trips", method: .post, headers: Self.origin(Self.app, auth), body: json(#"{"name":"Trip","waypoints":[]}"#))
            #expect(created.status == .created)
            #expect(Self.corsHeaders(created) == [
                "access-control-allow-origin": Self.app,
                "access-control-expose-headers": "ETag, Location, Link, Retry-After, X-Request-Id",
            ])
            #expect(created.headers[.vary] == "Origin")
            let id = try #require(created.object["id"] as? String)

            let read = try await client.execute(uri: "/trips/\(id)", method: .get, headers: Self.origin(Self.local, auth))
            #expect(read.headers[.accessControlAllowOrigin] == Self.local)
            #expect(read.headers[.vary] == "Accept, Origin", "the route's Vary is kept")
            let tag = try #require(read.headers[.eTag])
            var cached = Self.origin(Self.local, auth)
            cached[.ifNoneMatch] = tag
            let notModified = try await client.execute(uri: "/trips/\(id)", method: .get, headers: cached)
            #expect(notModified.status == .notModified)
            #expect(notModified.headers[.accessControlAllowOrigin] == Self.local)
            #expect(notModified.headers[.accessControlExposeHeaders] == "ETag, Location, Link, Retry-After, X-Request-Id")

            let unauthorized = try await client.execute(uri: "/trips", method: .get, headers: Self.origin(Self.app))
            expectProblem(unauthorized, .unauthorized)
            #expect(unauthorized.headers[.accessControlAllowOrigin] == Self.app)
            #expect(unauthorized.headers[.vary] == "Origin")
            let missing = try await client.execute(uri: "/no/such/path", method: .get, headers: Self.origin(Self.app))
            expectProblem(missing, .notFound)
            #expect(missing.headers[.accessControlAllowOrigin] == Self.app)
            let notAllowed = try await client.execute(uri: "/trips", method: .options, headers: Self.origin(Self.app))
            expectProblem(notAllowed, .methodNotAllowed)
            #expect(notAllowed.headers[.accessControlAllowOrigin] == Self.app, "OPTIONS without a method asked for is no preflight")
            #expect(Self.corsHeaders(notAllowed)["access-control-allow-methods"] == nil)
        }
    }

    /// Without `Origin`, from an origin not allowed, or with no origin configured, a response is as it always was.
    @Test func responsesWithoutAnAllowedOriginAreUnchanged() async throws {
        for settings in [Self.settings, .testing] {
            try await withApp(.sqliteMemory, settings: settings) { client in
                let auth = try await client.signUp("alice")
                let id = try #require(try await client.createTrip(auth)["id"] as? String)
                for headers in [auth, Self.origin("https://evil.example", auth), Self.origin(Self.app, auth)]
                where settings.corsOrigins.isEmpty || headers[.origin] != Self.app {
                    let read = try await client.execute(uri: "/trips/\(id)", method: .get, headers: headers)
                    #expect(read.status == .ok)
                    #expect(Self.corsHeaders(read).isEmpty)
                    #expect(read.headers[.vary] == "Accept")
                    expectProblem(try await client.execute(uri: "/trips", method: .options, headers: headers), .methodNotAllowed)
                }
            }
        }
    }

    /// A shared trip is for anyone with the link, in a browser tab; no page of another origin reads it, allowed or not.
    @Test func sharedTripsGetNoCORSHeaders() async throws {
        try await withApp(.sqliteMemory, settings: Self.settings) { client in
            let auth = try await client.signUp("alice")
            let id = try #require(try await client.createTrip(auth)["id"] as? String)
            let share = try await client.execute(uri: "/trips/\(id)/shares", method: .post, headers: Self.origin(Self.app, auth))
            #expect(share.headers[.accessControlAllowOrigin] == Self.app, "making a link is the API's")
            let url = try #require(share.object["url"] as? String)
            for path in [url, "/" + url, "/S/" + url.dropFirst(3), url + "?format=gpx", "/s/unknown"] {
                let page = try await client.execute(uri: path, method: .get, headers: Self.origin(Self.app))
                #expect(Self.corsHeaders(page).isEmpty, "\(path)")
                #expect(page.headers[.vary]?.contains("Origin") != true)
                let preflight = try await client.execute(uri: path, method: .options, headers: Self.preflight(Self.app, method: "GET"))
                #expect(preflight.status != .noContent)
                #expect(Self.corsHeaders(preflight).isEmpty, "\(path)")
            }
        }
    }
}
