@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct TripRouteTests {
    static let europe = #"{"name":"Europe","waypoints":[{"name":"Rome","latitude":41.9,"longitude":12.5},{"name":"Paris","latitude":48.85,"longitude":2.35},{"name":"Rome","latitude":41.9,"longitude":12.5}]}"#

    @Test(arguments: Backend.all)
    func createReturnsTheTripWithLocationAndETag(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let response = try await client.executeJSON(uri: "/trips", method: .post, headers: auth, body: json(Self.europe))
            #expect(response.status == .created)
            let trip = response.object
            let id = try #require(trip["id"] as? String)
            #expect(response.headers[.location] == "/trips/\(id)")
            #expect(response.headers[.eTag] == "\"1\"")
            #expect(
                Set(trip.keys)
                    == ["id", "name", "waypoints", "distanceMeters", "bbox", "createdAt", "updatedAt", "version", "owner", "role"])
            #expect(trip["owner"] as? String == "alice")
            #expect(trip["role"] as? String == "owner")
            #expect(trip["distanceMeters"] as? Int == 2_210_715, "Rome to Paris and back, by Python's math")
            #expect(trip["bbox"] as? [Double] == [2.35, 41.9, 12.5, 48.85])
            #expect(trip["version"] as? Int == 1)
            let names = (trip["waypoints"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["Rome", "Paris", "Rome"])

            let read = try await client.execute(uri: "/trips/\(id)", method: .get, headers: auth)
            #expect(read.status == .ok)
            #expect(read.headers[.eTag] == "\"1\"")
            #expect(read.body == response.body)
        }
    }

    @Test(arguments: Backend.all)
    func serverOwnedAndUnknownFieldsAreIgnored(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let trip = try await client.createTrip(auth, #"""
                {"name":"a.b $c","id":"000000000000000000000000","owner":"x","version":99,"createdAt":"1999-01-01T00:00:00Z",
                 "extra":{"$set":1},"waypoints":[{"name":"$where.x","latitude":0,"longitude":0,"color":"red"}]}
                """#)
            #expect(trip["name"] as? String == "a.b $c")
            #expect(trip["id"] as? String != "000000000000000000000000")
            #expect(trip["version"] as? Int == 1)
            #expect(trip["owner"] as? String == "alice", "the owner's name, never one a client sends")
            #expect(trip["extra"] == nil)
            let waypoint = (trip["waypoints"] as? [[String: Any]])?.first
            #expect(waypoint?["name"] as? String == "$where.x")
            #expect(waypoint?["color"] == nil)
        }
    }

    @Test(arguments: [
        (#"{"waypoints":[]}"#, ["/name"]),
        (#"{"name":""}"#, ["/name"]),
        (#"{"name":"\#(String(repeating: "n", count: 201))"}"#, ["/name"]),
        (#"{"name":{"$ne":null}}"#, ["/name"]),
        (#"{"name":"nul\u0000byte"}"#, ["/name"]),
        (#"{"name":7}"#, ["/name"]),
        (#"{"name":"ok","waypoints":{}}"#, ["/waypoints"]),
        (#"{"name":"ok","waypoints":[1]}"#, ["/waypoints/0"]),
        (#"{"name":"ok","waypoints":[{"name":"a","latitude":90.5,"longitude":0}]}"#, ["/waypoints/0/latitude"]),
        (#"{"name":"ok","waypoints":[{"name":"a","latitude":0,"longitude":-180.01}]}"#, ["/waypoints/0/longitude"]),
        (#"{"name":"ok","waypoints":[{"name":"a","latitude":"1","longitude":true}]}"#, ["/waypoints/0/latitude", "/waypoints/0/longitude"]),
        (#"{"name":"ok","waypoints":[{"latitude":1,"longitude":1}]}"#, ["/waypoints/0/name"]),
        (#"{"name":"","waypoints":[{"name":"a","latitude":0,"longitude":0},{"name":"","latitude":1e300,"longitude":0}]}"#,
            ["/name", "/waypoints/1/name", "/waypoints/1/latitude"]),
        (#"{"name":"ok","waypoints":[\#(Array(repeating: #"{"name":"a","latitude":0,"longitude":0}"#, count: 1001).joined(separator: ","))]}"#,
            ["/waypoints"]),
        ("[]", [""]),
        ("\"trip\"", [""]),
    ])
    func invalidTripsAreRejectedAndStoreNothing(body: String, pointers: [String]) async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let created = try await client.executeJSON(uri: "/trips", method: .post, headers: auth, body: json(body))
            expectProblem(created, .unprocessableContent)
            #expect((created.object["errors"] as? [[String: String]])?.map { $0["pointer"] } == pointers)
            let trip = try await client.createTrip(auth)
            let id = try #require(trip["id"] as? String)
            expectProblem(try await client.executeJSON(uri: "/trips/\(id)", method: .put, headers: auth, body: json(body)), .unprocessableContent)
            let trips = try await client.execute(uri: "/trips", method: .get, headers: auth).array
            #expect(trips.count == 1)
            #expect(trips.first?["version"] as? Int == 1)
        }
    }

    @Test func limitsAreInclusive() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let waypoint = #"{"name":"\#(String(repeating: "w", count: 200))","latitude":-90,"longitude":180}"#
            let trip = try await client.createTrip(auth, #"""
                {"name":"\#(String(repeating: "é", count: 200))","waypoints":[\#(Array(repeating: waypoint, count: 1000).joined(separator: ","))]}
                """#)
            #expect((trip["waypoints"] as? [Any])?.count == 1000)
        }
    }

    @Test(arguments: Backend.all)
    func listsOnlyTheCallersTripsInPages(backend: Backend) async throws {
        try await withApp(backend) { client in
            let alice = try await client.signUp("alice")
            let bob = try await client.signUp("bob")
            var ids: [String] = []
            for i in 0..<5 {
                ids.append(try #require(try await client.createTrip(alice, #"{"name":"a\#(i)"}"#)["id"] as? String))
                _ = try await client.createTrip(bob, #"{"name":"b\#(i)"}"#)
            }
            let all = try await client.execute(uri: "/trips", method: .get, headers: alice)
            #expect(all.status == .ok)
            #expect(all.array.compactMap { $0["id"] as? String } == ids.sorted())
            #expect(all.headers[.init("Link")!] == nil)

            var seen: [String] = []
            var next: String? = "/trips?limit=2"
            while let uri = next {
                let page = try await client.execute(uri: uri, method: .get, headers: alice)
                #expect(page.status == .ok)
                #expect(page.array.count <= 2)
                seen += page.array.compactMap { $0["id"] as? String }
                next = page.headers[.init("Link")!].flatMap { $0.firstMatch(of: /<([^>]+)>; rel="next"/)?.1 }.map(String.init)
            }
            #expect(seen == ids.sorted())
        }
    }

    @Test(arguments: ["limit=0", "limit=101", "limit=abc", "limit=-1", "limit=+5", "limit=%2B5", "limit=%205", "after=xyz", "after=ABCDEF0123456789ABCDEF01"])
    func badListQueriesAreBadRequests(query: String) async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            expectProblem(try await client.execute(uri: "/trips?\(query)", method: .get, headers: auth), .badRequest)
        }
    }

    @Test(arguments: Backend.all)
    func replaceAdvancesTheVersionAndHonoursIfMatch(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let id = try #require(try await client.createTrip(auth, Self.europe)["id"] as? String)
            let uri = "/trips/\(id)"
            let replaced = try await client.executeJSON(
                uri: uri, method: .put, headers: auth + [.ifMatch: "\"1\""], body: json(#"{"name":"Asia","waypoints":[]}"#))
            #expect(replaced.status == .ok)
            #expect(replaced.headers[.eTag] == "\"2\"")
            #expect(replaced.object["name"] as? String == "Asia")
            #expect((replaced.object["waypoints"] as? [Any])?.isEmpty == true)

            let stale = try await client.executeJSON(
                uri: uri, method: .put, headers: auth + [.ifMatch: "\"1\""], body: json(#"{"name":"Stale"}"#))
            expectProblem(stale, .preconditionFailed)
            for tag in ["W/\"2\"", "\"two\"", "%22two%22", "\"02\"", "\"+2\"", "%22%2B2%22"] {
                expectProblem(try await client.executeJSON(
                    uri: uri, method: .put, headers: auth + [.ifMatch: tag], body: json(#"{"name":"Stale"}"#)), .preconditionFailed)
            }
            for tag in ["2", "garbage", "\"2", "\"2\" \"3\"", "\"2\",", "%2", "%22%2", "\"a\"b\"", ""] {
                let malformed = try await client.executeJSON(
                    uri: uri, method: .put, headers: auth + [.ifMatch: tag], body: json(#"{"name":"Stale"}"#))
                expectProblem(malformed, .badRequest)
                #expect(malformed.object["detail"] as? String
                    == #"If-Match must be entity tags as sent in ETag, such as "3", separated by commas, or *."#)
            }
            #expect(try await client.execute(uri: uri, method: .get, headers: auth).object["name"] as? String == "Asia")
            let percentEncoded = try await client.executeJSON(
                uri: uri, method: .put, headers: auth + [.ifMatch: "%222%22"], body: json(#"{"name":"Asia"}"#))
            #expect(percentEncoded.status == .ok, "a generated client's percent-encoded If-Match")
            #expect(percentEncoded.headers[.eTag] == "\"3\"")

            let unconditional = try await client.executeJSON(uri: uri, method: .put, headers: auth, body: json(#"{"name":"Any"}"#))
            #expect(unconditional.object["version"] as? Int == 4)
            let star = try await client.executeJSON(uri: uri, method: .put, headers: auth + [.ifMatch: "*"], body: json(#"{"name":"Star"}"#))
            #expect(star.object["version"] as? Int == 5)
            #expect(star.object["createdAt"] as? String == replaced.object["createdAt"] as? String)
        }
    }

    @Test(arguments: Backend.all)
    func conditionalHeadersTakeListsWithStrongIfMatchAndWeakIfNoneMatch(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let uri = "/trips/\(try #require(try await client.createTrip(auth)["id"] as? String))"
            func replace(_ headers: HTTPFields) async throws -> TestResponse {
                try await client.executeJSON(uri: uri, method: .put, headers: auth + headers, body: json(#"{"name":"Next"}"#))
            }
            #expect(try await replace([.ifMatch: #""7", "1""#]).headers[.eTag] == "\"2\"")
            expectProblem(try await replace([.ifMatch: #""1", W/"2""#]), .preconditionFailed)
            #expect(try await replace([.ifMatch: #"W/"9",  "2" ,"3""#]).headers[.eTag] == "\"3\"")
            expectProblem(try await replace([.ifNoneMatch: "*"]), .preconditionFailed)
            expectProblem(try await replace([.ifNoneMatch: #""1", W/"3""#]), .preconditionFailed)
            #expect(try await replace([.ifNoneMatch: #""1", "2""#]).headers[.eTag] == "\"4\"")
            expectProblem(try await replace([.ifMatch: #""4""#, .ifNoneMatch: #""4""#]), .preconditionFailed)
            expectProblem(try await replace([.ifNoneMatch: "4"]), .badRequest)

            let current = try await client.execute(uri: uri, method: .get, headers: auth + [.ifNoneMatch: #""1", W/"4""#])
            #expect(current.status == .notModified)
            #expect(current.headers[.eTag] == "\"4\"")
            #expect(current.body.readableBytes == 0)
            #expect(try await client.execute(uri: uri, method: .get, headers: auth + [.ifNoneMatch: "*"]).status == .notModified)
            let changed = try await client.execute(uri: uri, method: .get, headers: auth + [.ifNoneMatch: #""3""#])
            #expect(changed.status == .ok)
            #expect(changed.object["version"] as? Int == 4)
        }
    }

    @Test func aPageOfLargeTripsStopsAtAMebibyteAndLinksToTheRest() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let name = String(repeating: "n", count: Limits.waypointNameLength.upperBound)
            let waypoints = (0..<Limits.waypointsPerTrip).map { _ in #"{"name":"\#(name)","latitude":1.5,"longitude":2.5}"# }
            let body = #"{"name":"Large","waypoints":["# + waypoints.joined(separator: ",") + "]}"
            var created: [String] = []
            for _ in 0..<6 { created.append(try #require(try await client.createTrip(auth, body)["id"] as? String)) }

            var listed: [String] = []
            var next: String? = "/trips"
            while let uri = next {
                let page = try await client.execute(uri: uri, method: .get, headers: auth)
                #expect(page.body.readableBytes <= Limits.pageBytes)
                #expect(page.array.count < 6)
                listed += page.array.compactMap { $0["id"] as? String }
                next = page.headers[.link].flatMap { $0.split(separator: ">").first?.dropFirst() }.map(String.init)
            }
            #expect(listed == created)
        }
    }

    @Test(arguments: Backend.all)
    func deleteHonoursIfMatchAndDeletesNothingWhenStale(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let uri = "/trips/\(try #require(try await client.createTrip(auth)["id"] as? String))"
            _ = try await client.executeJSON(uri: uri, method: .put, headers: auth, body: json(#"{"name":"v2"}"#))
            for headers: HTTPFields in [[.ifMatch: #""1""#], [.ifMatch: #""1", W/"2""#], [.ifNoneMatch: #""2""#]] {
                expectProblem(try await client.execute(uri: uri, method: .delete, headers: auth + headers), .preconditionFailed)
            }
            expectProblem(try await client.execute(uri: uri, method: .delete, headers: auth + [.ifMatch: "2"]), .badRequest)
            #expect(try await client.execute(uri: uri, method: .get, headers: auth).status == .ok)
            #expect(try await client.execute(uri: uri, method: .delete, headers: auth + [.ifMatch: #""7", "2""#]).status == .noContent)
            expectProblem(try await client.execute(uri: uri, method: .get, headers: auth), .notFound)
        }
    }

    @Test(arguments: Backend.all)
    func deleteRemovesTheTrip(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let id = try #require(try await client.createTrip(auth)["id"] as? String)
            let deleted = try await client.execute(uri: "/trips/\(id)", method: .delete, headers: auth)
            #expect(deleted.status == .noContent)
            #expect(deleted.body.readableBytes == 0)
            expectProblem(try await client.execute(uri: "/trips/\(id)", method: .get, headers: auth), .notFound)
            expectProblem(try await client.execute(uri: "/trips/\(id)", method: .delete, headers: auth), .notFound)
            for tag in ["\"1\"", "\"0\"", "*"] {
                let replaced = try await client.executeJSON(
                    uri: "/trips/\(id)", method: .put, headers: auth + [.ifMatch: tag], body: json(#"{"name":"back"}"#))
                expectProblem(replaced, .notFound)
            }
        }
    }

    @Test(arguments: Backend.all)
    func anotherUsersTripIsNotFoundForEveryVerbAndStaysUnchanged(backend: Backend) async throws {
        try await withApp(backend) { client in
            let alice = try await client.signUp("alice")
            let bob = try await client.token(try await client.signUp("bob"))
            let trip = try await client.createTrip(alice, Self.europe)
            let uri = "/trips/\(try #require(trip["id"] as? String))"
            expectProblem(try await client.execute(uri: uri, method: .get, headers: bearer(bob)), .notFound)
            expectProblem(try await client.executeJSON(uri: uri, method: .put, headers: bearer(bob), body: json(#"{"name":"Mine"}"#)), .notFound)
            expectProblem(try await client.executeJSON(
                uri: uri, method: .put, headers: bearer(bob) + [.ifMatch: "\"1\""], body: json(#"{"name":"Mine"}"#)), .notFound)
            expectProblem(try await client.execute(uri: uri, method: .delete, headers: bearer(bob)), .notFound)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: bearer(bob)).array.isEmpty)
            let after = try await client.execute(uri: uri, method: .get, headers: alice)
            #expect(after.object["version"] as? Int == 1)
            #expect(after.object["name"] as? String == "Europe")
        }
    }

    @Test(arguments: ["nope", "123", "0123456789abcdef0123456", "0123456789abcdef012345678", "0123456789ABCDEF01234567",
                      "zzzzzzzzzzzzzzzzzzzzzzzz", "0123456789abcdef01234567%00", "%24ne"])
    func malformedIDsAreNotFoundForEveryVerb(id: String) async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            _ = try await client.createTrip(auth)
            expectProblem(try await client.execute(uri: "/trips/\(id)", method: .get, headers: auth), .notFound)
            expectProblem(try await client.executeJSON(uri: "/trips/\(id)", method: .put, headers: auth, body: json(#"{"name":"x"}"#)), .notFound)
            expectProblem(try await client.execute(uri: "/trips/\(id)", method: .delete, headers: auth), .notFound)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.first?["name"] as? String == "Trip")
        }
    }

    @Test(arguments: ["GET /trips", "POST /trips", "GET /trips/0123456789abcdef01234567", "PUT /trips/0123456789abcdef01234567",
                      "DELETE /trips/0123456789abcdef01234567", "GET /users", "DELETE /users", "POST /tokens", "DELETE /tokens/current"])
    func everyProtectedRouteNeedsCredentials(route: String) async throws {
        try await withApp(.sqliteMemory) { client in
            let parts = route.split(separator: " ")
            let response = try await client.executeJSON(
                uri: String(parts[1]), method: .init(String(parts[0]))!, body: json(#"{"name":"x"}"#))
            expectProblem(response, .unauthorized)
        }
    }
}

func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
    var fields = lhs
    fields.append(contentsOf: rhs)
    return fields
}
