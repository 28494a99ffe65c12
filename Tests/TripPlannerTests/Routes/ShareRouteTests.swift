@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TripCore

/// Share links over HTTP: made, listed and revoked by the owner; opened by anyone, as a page or a download.
@Suite struct ShareRouteTests {
    static let hostile = #"{"name":"<script>alert(1)</script>","waypoints":["#
        + #"{"name":"Lyon <b>","latitude":45.76,"longitude":4.83},{"name":"Turin","latitude":45.07,"longitude":7.69}]}"#

    private func share(_ client: some TestClientProtocol, _ trip: String, _ auth: HTTPFields, _ body: String? = nil) async throws -> TestResponse {
        guard let body else { return try await client.execute(uri: "/trips/\(trip)/shares", method: .post, headers: auth) }
        return try await client.executeJSON(uri: "/trips/\(trip)/shares", method: .post, headers: auth, body: json(body))
    }

    /// The headers of every answer at `/s/…`; one that found its trip may be kept by the browser, revalidated by ETag.
    private func expectSharedHeaders(_ response: TestResponse, found: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.headers[.cacheControl] == (found ? "private, no-cache" : "no-store"), sourceLocation: sourceLocation)
        #expect(response.headers[.referrerPolicy] == "no-referrer", sourceLocation: sourceLocation)
        #expect(response.headers[.robotsTag] == "noindex", sourceLocation: sourceLocation)
        #expect(response.headers[.xContentTypeOptions] == "nosniff", sourceLocation: sourceLocation)
        let policy = response.headers[.contentSecurityPolicy] ?? ""
        #expect(policy.hasPrefix("default-src 'none';"), sourceLocation: sourceLocation)
        #expect(!policy.contains("script-src") && !policy.contains("unsafe") && !policy.contains("http"), sourceLocation: sourceLocation)
        #expect((response.headers[.eTag] != nil) == found, sourceLocation: sourceLocation)
    }

    @Test(arguments: Backend.all)
    func theOwnerMakesListsAndRevokesLinksThatOpenTheTripForAnyone(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let trip = try #require(try await client.createTrip(auth, Self.hostile)["id"] as? String)
            let lasting = try await share(client, trip, auth)
            #expect(lasting.status == .created)
            #expect(lasting.headers[.cacheControl] == "no-store")
            #expect(Set(lasting.object.keys) == ["id", "url", "createdAt", "expiresAt"])
            #expect(lasting.object["expiresAt"] is NSNull)
            let url = try #require(lasting.object["url"] as? String)
            #expect(url.wholeMatch(of: /\/s\/[A-Za-z0-9_-]{43}/) != nil, "256 bits in base64url")
            let weekly = try await share(client, trip, auth, #"{"expiresInDays":7}"#)
            let expiry = try #require(ISO8601DateFormatter().date(from: weekly.object["expiresAt"] as? String ?? ""))
            #expect(abs(expiry.timeIntervalSinceNow - 7 * 86400) < 60)

            let listed = try await client.execute(uri: "/trips/\(trip)/shares", method: .get, headers: auth).array
            #expect(listed.map { $0["id"] as? String } == [lasting.object["id"] as? String, weekly.object["id"] as? String])
            #expect(listed.allSatisfy { $0["url"] == nil }, "tokens are shown once")

            let page = try await client.execute(uri: url, method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            expectSharedHeaders(page)
            let html = String(buffer: page.body)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script"))
            #expect(html.contains("Lyon &lt;b&gt;") && html.contains("<svg") && html.contains(#"href="?format=gpx""#))

            let asJSON = try await client.execute(uri: url, method: .get, headers: [.accept: "application/json"])
            #expect(asJSON.object["name"] as? String == "<script>alert(1)</script>")
            #expect(asJSON.object["owner"] == nil && asJSON.object["ownerId"] == nil)
            expectSharedHeaders(asJSON)
            let gpx = try await client.execute(uri: url + "?format=gpx", method: .get)
            #expect(gpx.headers[.contentType] == "application/gpx+xml")
            expectSharedHeaders(gpx)
            #expect(try await client.execute(uri: url + "?format=geojson", method: .get).headers[.contentType] == "application/geo+json")

            let revoked = try await client.execute(
                uri: "/trips/\(trip)/shares/\(try #require(lasting.object["id"] as? String))", method: .delete, headers: auth)
            #expect(revoked.status == .noContent)
            let gone = try await client.execute(uri: url, method: .get)
            #expect(gone.status == .notFound)
            expectSharedHeaders(gone, found: false)
            let unknown = try await client.execute(uri: "/s/" + String(repeating: "A", count: 43), method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.body == gone.body, "revoked and unknown links look alike")
        }
    }

    @Test(arguments: Backend.all)
    func anExpiredLinkLooksLikeAnUnknownOne(backend: Backend) async throws {
        try await backend.withStore { store in
            let app = buildApplication(.testing, store: store, logger: .quiet)
            try await app.test(.router) { client in
                let auth = try await client.signUp("alice")
                let tripText = try #require(try await client.createTrip(auth)["id"] as? String)
                let trip = try #require(TripID(tripText))
                let owner = try #require(try await store.account(username: "alice")).user.id
                let token = Base64URL.randomToken()
                try await store.createShare(
                    Share(trip: trip, owner: owner, createdAt: Date.storeNow.addingTimeInterval(-86400), expiresAt: .storeNow),
                    tokenDigest: CredentialDigester.tokenDigest(token))
                let expired = try await client.execute(uri: "/s/\(token)", method: .get)
                let unknown = try await client.execute(uri: "/s/never-issued", method: .get)
                #expect(expired.status == .notFound)
                #expect(expired.body == unknown.body)
                expectProblem(try await client.execute(uri: "/s/\(token)", method: .get, headers: [.accept: "application/json"]), .notFound)
            }
        }
    }

    @Test(arguments: Backend.all)
    func refusesBadRequestsAndOthersTrips(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let bob = try await client.signUp("bob")
            let trip = try #require(try await client.createTrip(auth)["id"] as? String)
            for body in [#"{"expiresInDays":null}"#, #"{"expiresInDays":0}"#, #"{"expiresInDays":366}"#, #"{"expiresInDays":1.5}"#, #"{"expiresInDays":"7"}"#] {
                let refused = try await share(client, trip, auth, body)
                expectProblem(refused, .unprocessableContent)
                #expect((refused.object["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/expiresInDays")
            }
            expectProblem(
                try await client.execute(uri: "/trips/\(trip)/shares", method: .post, headers: auth, body: json(#"{"expiresInDays":7}"#)),
                .unsupportedMediaType)
            expectProblem(try await share(client, trip, bob), .notFound)
            expectProblem(try await client.execute(uri: "/trips/\(trip)/shares", method: .get, headers: bob), .notFound)
            let id = try #require(try await share(client, trip, auth).object["id"] as? String)
            expectProblem(try await client.execute(uri: "/trips/\(trip)/shares/\(id)", method: .delete, headers: bob), .notFound)
            expectProblem(try await client.execute(uri: "/trips/\(trip)/shares/not-an-id", method: .delete, headers: auth), .notFound)
            #expect(try await client.execute(uri: "/trips/\(trip)/shares", method: .get, headers: auth).array.count == 1)
            #expect(try await client.execute(uri: "/trips/\(trip)/shares", method: .get).status == .unauthorized)
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: Backend.shareable)
    func aRevokedLinkStopsWorkingOnEveryProcessAtOnce(backend: Backend) async throws {
        let database = try ServerProcess.database(for: backend)
        defer { ServerProcess.removeFiles(of: database) }
        let a = try await ServerProcess(database: database)
        let b = try await ServerProcess(database: database)
        #expect(try await RawHTTP.request("POST", port: a.port, "/users", body: #"{"username":"alice","password":"password1"}"#).status == 201)
        let auth = ["Authorization": basic("alice", "password1")[.authorization]!]
        let trip = Data(try await RawHTTP.request("POST", port: a.port, "/trips", headers: auth, body: Self.hostile).body.utf8).jsonObject
        let tripID = try #require(trip["id"] as? String)
        let share = Data(try await RawHTTP.request("POST", port: a.port, "/trips/\(tripID)/shares", headers: auth).body.utf8).jsonObject
        let url = try #require(share["url"] as? String)
        #expect(try await RawHTTP.request("GET", port: b.port, url).status == 200)
        let revoked = try await RawHTTP.request(
            "DELETE", port: a.port, "/trips/\(tripID)/shares/\(try #require(share["id"] as? String))", headers: auth)
        #expect(revoked.status == 204)
        #expect(try await RawHTTP.request("GET", port: b.port, url).status == 404)
    }

    @Test(arguments: Backend.all)
    func aTripTakesAHundredLiveLinksAndListsNoExpiredOne(backend: Backend) async throws {
        try await backend.withStore { store in
            try await buildApplication(.testing, store: store, logger: .quiet).test(.router) { client in
                let auth = try await client.signUp("alice")
                let tripText = try #require(try await client.createTrip(auth)["id"] as? String)
                let owner = try #require(try await store.account(username: "alice")).user.id
                let trip = try #require(TripID(tripText))
                try await store.createShare(
                    Share(trip: trip, owner: owner, createdAt: .storeNow - 86400, expiresAt: .storeNow - 60), tokenDigest: "expired")
                for _ in 0..<Limits.sharesPerTrip { #expect(try await share(client, tripText, auth).status == .created) }
                let refused = try await share(client, tripText, auth, #"{"expiresInDays":7}"#)
                expectProblem(refused, .unprocessableContent)
                #expect((refused.object["detail"] as? String)?.contains("\(Limits.sharesPerTrip)") == true)
                let listed = try await client.execute(uri: "/trips/\(tripText)/shares", method: .get, headers: auth).array
                #expect(listed.count == Limits.sharesPerTrip)
                #expect(listed.allSatisfy { $0["expiresAt"] is NSNull }, "the expired link is not listed")
                let first = try #require(listed.first?["id"] as? String)
                #expect(try await client.execute(uri: "/trips/\(tripText)/shares/\(first)", method: .delete, headers: auth).status == .noContent)
                #expect(try await share(client, tripText, auth).status == .created)
            }
        }
    }

    @Test(arguments: Backend.all)
    func aSharedTripIsRevalidatedByAnETagOfEachFormatAndVersion(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let trip = try #require(try await client.createTrip(auth, Self.hostile)["id"] as? String)
            let url = try #require(try await share(client, trip, auth).object["url"] as? String)
            var tags: [String] = []
            for format in ["html", "json", "geojson", "gpx"] {
                let page = try await client.execute(uri: url + "?format=\(format)", method: .get)
                #expect(page.status == .ok)
                expectSharedHeaders(page)
                #expect(page.headers[.vary] == "Accept")
                let tag = try #require(page.headers[.eTag])
                tags.append(tag)
                let again = try await client.execute(uri: url + "?format=\(format)", method: .get)
                #expect(again.body == page.body && again.headers[.eTag] == tag)
                for ifNoneMatch in [tag, "W/\(tag)", "\"other\", \(tag)", "*"] {
                    let unchanged = try await client.execute(uri: url + "?format=\(format)", method: .get, headers: [.ifNoneMatch: ifNoneMatch])
                    #expect(unchanged.status == .notModified, "\(format) \(ifNoneMatch)")
                    #expect(unchanged.body.readableBytes == 0)
                    #expect(unchanged.headers[.eTag] == tag)
                    expectSharedHeaders(unchanged)
                }
                #expect(try await client.execute(uri: url + "?format=\(format)", method: .get, headers: [.ifNoneMatch: "\"other\""]).status == .ok)
            }
            #expect(Set(tags).count == 4)
            let renamed = try await client.executeJSON(
                uri: "/trips/\(trip)", method: .put, headers: auth, body: json(#"{"name":"Renamed","waypoints":[]}"#))
            #expect(renamed.status == .ok)
            let changed = try await client.execute(uri: url, method: .get, headers: [.ifNoneMatch: tags[0]])
            #expect(changed.status == .ok)
            #expect(String(buffer: changed.body).contains("Renamed"))
            #expect(changed.headers[.eTag] != tags[0])
            expectProblem(try await client.execute(uri: url, method: .get, headers: [.ifNoneMatch: "nonsense"]), .badRequest)
        }
    }

    @Test(.tags(.live))
    func sharedTripsAreLimitedPerClientAddress() async throws {
        var settings = ServerSettings.testing
        settings.sharedPageRequestsPerWindow = 3
        try await withApp(.sqliteMemory, .live, settings: settings) { client in
            let auth = try await client.signUp("alice")
            let trip = try #require(try await client.createTrip(auth)["id"] as? String)
            let url = try #require(try await share(client, trip, auth, #"{"expiresInDays":7}"#).object["url"] as? String)
            #expect(try await client.execute(uri: url, method: .get, headers: from("203.0.113.1")).status == .ok)
            #expect(try await client.execute(uri: "/s/unknown", method: .get, headers: from("203.0.113.1")).status == .notFound)
            #expect(try await client.execute(uri: url + "?format=gpx", method: .get, headers: from("203.0.113.1")).status == .ok)
            let refused = try await client.execute(uri: url, method: .get, headers: [.accept: "application/json", .init("X-Forwarded-For")!: "203.0.113.1"])
            expectProblem(refused, .tooManyRequests)
            #expect(refused.headers[.retryAfter].flatMap { Int($0) }.map { (1...Limits.sharedPageWindowSeconds).contains($0) } == true)
            #expect(try await client.execute(uri: url, method: .get, headers: from("203.0.113.2")).status == .ok)
            #expect(try await client.execute(uri: "/trips/\(trip)", method: .get, headers: auth + from("203.0.113.1")).status == .ok)
        }
    }
}
