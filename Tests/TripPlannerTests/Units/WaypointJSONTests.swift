import Foundation
import JSON
import Testing
import TripCore

/// Waypoints in the one spelling responses and the SQLite store share, checked and decoded back.
@Suite struct WaypointJSONTests {
    private func written(_ write: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        write(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func waypointsRoundTripInAnyKeyOrder() throws {
        let waypoints = [
            Waypoint(name: "Sydney \"Harbour\"", latitude: -33.8688, longitude: 151.2093),
            Waypoint(name: "Null Island", latitude: 0, longitude: 0),
            Waypoint(name: "Zürich 🏔", latitude: 47.3769, longitude: 8.5417),
        ]
        let json = written { $0.waypoints(Waypoints(waypoints)) }
        #expect(json.hasPrefix(#"[{"latitude":-33.8688,"longitude":151.2093,"name":"Sydney \"Harbour\""}"#))
        #expect(try stored(json).decoded() == waypoints)
        #expect(try stored(json) == Waypoints(waypoints))
        #expect(try stored("[]").decoded() == [])
    }

    @Test func writesIdsAsTheirHexSpelling() {
        let id = TripID("0123456789abcdef01234567")!
        #expect(written { $0.id(id) } == #""0123456789abcdef01234567""#)
    }

    /// Stored waypoints must be in exactly the spelling this server writes, since responses copy them.
    @Test(arguments: [
        "{}", "[1]", #"[{"name":"A","latitude":1}]"#, #"[{"name":"A","latitude":1,"longitude":"2"}]"#,
        #"[{"name":"A","latitude":1,"longitude":2,"extra":3}]"#, "[", "",
        #"[{"name":"A","latitude":1,"longitude":2,"name":"B"}]"#, #"[{"name":"A","latitude":1,"longitude":2}] x"#,
        #"[{"name":"A","latitude":1,"longitude":2},]"#, #"[{"name":1,"latitude":1,"longitude":2}]"#,
        #"[{"name":"A","latitude":1e400,"longitude":2}]"#, #"[{"name":"A","latitude":01,"longitude":2}]"#,
        #"[{"name":"A\x","latitude":1,"longitude":2}]"#, "[{\"name\":\"A\u{1}\",\"latitude\":1,\"longitude\":2}]",
        #"[{"name":"A","longitude":2,"latitude":1}]"#, #"[{"lat":1,"longitude":2,"name":"A"}]"#,
        #" [{"latitude":1,"longitude":2,"name":"A"}]"#,
        #"[{"latitude":1,"longitude":2,"name":"A"} ]"#, #"[{"latitude":1,"longitude":2,"name":"A"}]]"#,
    ])
    func refusesStoredDocumentsThatAreNotWaypoints(json: String) {
        #expect(throws: JSONParser.Failure.self) { try stored(json) }
    }

    @Test func refusesStoredNamesThatAreNotUTF8() {
        var bytes = Array(#"[{"latitude":1,"longitude":2,"name":"A"}]"#.utf8)
        #expect(throws: Never.self) { try Waypoints(stored: bytes) }
        bytes[37] = 0xFF
        #expect(throws: JSONParser.Failure.self) { try Waypoints(stored: bytes) }
    }

    private func stored(_ json: String) throws -> Waypoints {
        try Waypoints(stored: Array(json.utf8))
    }
}
