import Foundation
import JSON
import Testing
import TripCore

/// Waypoints as responses and the SQLite store spell them, read back straight into `[Waypoint]`.
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
        ]
        let json = written { $0.waypoints(waypoints) }
        #expect(json.hasPrefix(#"[{"latitude":-33.8688,"longitude":151.2093,"name":"Sydney \"Harbour\""}"#))
        #expect(try read(json) == waypoints)
        #expect(try read(#" [ {"name":"A","longitude":2,"latitude":1} ] "#) == [Waypoint(name: "A", latitude: 1, longitude: 2)])
        #expect(try read("[]") == [])
    }

    @Test func writesIdsAsTheirHexSpelling() {
        let id = TripID("0123456789abcdef01234567")!
        #expect(written { $0.id(id) } == #""0123456789abcdef01234567""#)
    }

    @Test(arguments: [
        "{}", "[1]", #"[{"name":"A","latitude":1}]"#, #"[{"name":"A","latitude":1,"longitude":"2"}]"#,
        #"[{"name":"A","latitude":1,"longitude":2,"extra":3}]"#, "[", "",
        #"[{"name":"A","latitude":1,"longitude":2,"name":"B"}]"#, #"[{"name":"A","latitude":1,"longitude":2}] x"#,
        #"[{"name":"A","latitude":1,"longitude":2},]"#, #"[{"name":1,"latitude":1,"longitude":2}]"#,
    ])
    func refusesDocumentsThatAreNotWaypoints(json: String) {
        #expect(throws: JSONParser.Failure.self) { try read(json) }
    }

    private func read(_ json: String) throws -> [Waypoint] {
        try Array(json.utf8).withUnsafeBytes { try [Waypoint](jsonDocument: $0) }
    }
}
