@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A trip as GeoJSON and GPX, read back by `geojson` and `gpxpy` from PyPI.
@Suite struct ExportTests {
    static let trip = #"{"name":"<Tom & \"Jerry\">'s trip/ été","waypoints":["#
        + #"{"name":"Fiji <Nadi>","latitude":-17.7557,"longitude":177.4431},"#
        + #"{"name":"Apia & co","latitude":-13.8333,"longitude":-171.7667},"#
        + #"{"name":"Tiny","latitude":0.00001,"longitude":-0.00002}]}"#

    private func get(_ client: some TestClientProtocol, _ uri: String, _ auth: HTTPFields, accept: String? = nil) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: auth + (accept.map { [.accept: $0] } ?? [:]))
    }

    @Test
    func geoJSONIsAValidFeatureCollectionOfTheRouteAndItsWaypoints() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let created = try await client.createTrip(auth, Self.trip)
            let uri = "/trips/\(try #require(created["id"] as? String))"
            let byAccept = try await get(client, uri, auth, accept: "application/geo+json")
            #expect(byAccept.status == .ok)
            #expect(byAccept.headers[.contentType] == "application/geo+json")
            #expect(byAccept.headers[.vary] == "Accept")
            #expect(try await get(client, uri + "?format=geojson", auth).body == byAccept.body)

            let read = try await PythonCheck.run(#"""
                import geojson, json, sys
                collection = geojson.loads(sys.stdin.read())
                route, *points = collection["features"]
                print(json.dumps({"valid": collection.is_valid, "type": collection["type"], "line": route["geometry"]["coordinates"],
                                  "lineType": route["geometry"]["type"], "route": route["properties"], "bbox": collection["bbox"],
                                  "points": [[p["properties"]["index"], p["properties"]["name"], p["geometry"]["coordinates"]] for p in points]}))
                """#, input: String(buffer: byAccept.body))
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(read.utf8)) as? [String: Any])
            #expect(parsed["valid"] as? Bool == true)
            #expect(parsed["type"] as? String == "FeatureCollection")
            #expect(parsed["lineType"] as? String == "LineString")
            #expect(parsed["line"] as? [[Double]] == [[177.4431, -17.7557], [-171.7667, -13.8333], [-0.00002, 0.00001]])
            let route = try #require(parsed["route"] as? [String: Any])
            #expect(route["id"] as? String == created["id"] as? String)
            #expect(route["name"] as? String == created["name"] as? String)
            #expect(route["distanceMeters"] as? Int == created["distanceMeters"] as? Int)
            #expect(parsed["bbox"] as? [Double] == created["bbox"] as? [Double])
            let points = try #require(parsed["points"] as? [[Any]])
            #expect(points.map { $0[0] as? Int } == [0, 1, 2])
            #expect(points.map { $0[1] as? String } == ["Fiji <Nadi>", "Apia & co", "Tiny"])
        }
    }

    @Test
    func aRouteOfOneWaypointIsStillValidGeoJSON() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let one = #"{"name":"Solo","waypoints":[{"name":"Here","latitude":1,"longitude":2}]}"#
            let uri = "/trips/\(try #require(try await client.createTrip(auth, one)["id"] as? String))?format=geojson"
            let body = String(buffer: try await get(client, uri, auth).body)
            let read = try await PythonCheck.run(
                "import geojson, sys; c = geojson.loads(sys.stdin.read()); print(c.is_valid, len(c['features']), c['features'][0]['geometry'])",
                input: body)
            #expect(read == "True 2 None")
        }
    }

    @Test
    func gpxIsARouteOfNamedPointsInOrderOfferedAsADownload() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let created = try await client.createTrip(auth, Self.trip)
            let uri = "/trips/\(try #require(created["id"] as? String))"
            let response = try await get(client, uri, auth, accept: "application/gpx+xml")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/gpx+xml")
            #expect(response.headers[.contentDisposition] == #"attachment; filename="Tom-Jerry-s-trip-t.gpx""#)
            let body = String(buffer: response.body)
            #expect(body.contains(#"xmlns="http://www.topografix.com/GPX/1/1""#))
            #expect(!body.contains("e-05"), "coordinates are xsd:decimal, without an exponent")
            #expect(try await get(client, uri + "?format=gpx", auth).body == response.body)

            let read = try await PythonCheck.run(#"""
                import gpxpy, json, sys
                gpx = gpxpy.parse(sys.stdin.read())
                route = gpx.routes[0]
                print(json.dumps({"version": gpx.version, "creator": gpx.creator, "name": gpx.name, "routes": len(gpx.routes),
                                  "points": [[p.name, p.latitude, p.longitude] for p in route.points]}))
                """#, input: body)
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(read.utf8)) as? [String: Any])
            #expect(parsed["version"] as? String == "1.1")
            #expect((parsed["creator"] as? String)?.isEmpty == false)
            #expect(parsed["name"] as? String == created["name"] as? String)
            #expect(parsed["routes"] as? Int == 1)
            let points = try #require(parsed["points"] as? [[Any]])
            #expect(points.map { $0[0] as? String } == ["Fiji <Nadi>", "Apia & co", "Tiny"])
            #expect(points.map { $0[1] as? Double } == [-17.7557, -13.8333, 0.00001])
            #expect(points.map { $0[2] as? Double } == [177.4431, -171.7667, -0.00002])
        }
    }

    @Test
    func formatWinsOverAcceptAndAcceptIsWeighed() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let uri = "/trips/\(try #require(try await client.createTrip(auth, Self.trip)["id"] as? String))"
            func type(_ query: String = "", accept: String?) async throws -> String? {
                try await get(client, uri + query, auth, accept: accept).headers[.contentType]
            }
            #expect(try await type("?format=json", accept: "application/gpx+xml") == "application/json")
            #expect(try await type(accept: "*/*") == "application/json")
            #expect(try await type(accept: nil) == "application/json")
            #expect(try await type(accept: "application/*") == "application/json")
            #expect(try await type(accept: "application/gpx+xml;q=0.5, application/geo+json") == "application/geo+json")
            #expect(try await type(accept: "text/html, application/gpx+xml;q=0.1") == "application/gpx+xml")
            #expect(try await type(accept: "application/json;q=0, */*") == "application/geo+json")
            expectProblem(try await get(client, uri, auth, accept: "text/html"), .notAcceptable)
            expectProblem(try await get(client, uri + "?format=kml", auth), .badRequest)
            expectProblem(try await get(client, "/trips/000000000000000000000000?format=gpx", auth), .notFound)
        }
    }
}
