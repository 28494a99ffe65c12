import Testing
import TripCore

/// A route's length and bounding box, from its waypoints, as written and as read back from storage.
@Suite struct RouteFiguresTests {
    private func figures(_ points: [(latitude: Double, longitude: Double)]) throws -> [RouteFigures] {
        let waypoints = Waypoints(points.enumerated().map { Waypoint(name: "p\($0)", latitude: $1.latitude, longitude: $1.longitude) })
        return [waypoints.figures, try Waypoints(stored: waypoints.json).figures]
    }

    @Test func theBoxIsSpelledAsJSONAsItsNumbersAre() throws {
        for points in [[(48.8566, 2.3522), (41.9028, 12.4964)], [(10, 179), (12, -179), (-0.00001, 178.5)]] {
            for figures in try figures(points) {
                let spelled = "[" + (figures.bbox ?? []).map(\.description).joined(separator: ",") + "]"
                #expect(figures.bboxJSON.map { String(decoding: $0, as: UTF8.self) } == spelled)
            }
        }
        for figures in try figures([]) { #expect(figures.bboxJSON == nil) }
    }

    @Test func anEmptyRouteHasNoLengthAndNoBox() throws {
        for figures in try figures([]) {
            #expect(figures.distanceMeters == 0)
            #expect(figures.bbox == nil)
        }
    }

    @Test func oneWaypointIsAPointBox() throws {
        for figures in try figures([(48.8566, 2.3522)]) {
            #expect(figures.distanceMeters == 0)
            #expect(figures.bbox == [2.3522, 48.8566, 2.3522, 48.8566])
        }
    }

    /// Expected lengths from Python's `math` with the same formula and radius, independently of this code.
    @Test func sumsTheHaversineLegsToTheMetre() throws {
        for figures in try figures([(0, 0), (1, 0)]) { #expect(figures.distanceMeters == 111_195) }
        for figures in try figures([(48.8566, 2.3522), (41.9028, 12.4964)]) { #expect(figures.distanceMeters == 1_105_282) }
        for figures in try figures([(48.8566, 2.3522), (41.9028, 12.4964), (48.8566, 2.3522)]) {
            #expect(figures.distanceMeters == 2_210_563)
            #expect(figures.bbox == [2.3522, 41.9028, 12.4964, 48.8566])
        }
    }

    @Test func aRouteAcrossTheAntimeridianHasWestPastEast() throws {
        for figures in try figures([(10, 179), (12, -179)]) {
            #expect(figures.distanceMeters == 311_622)
            #expect(figures.bbox == [179, 10, -179, 12])
        }
        for figures in try figures([(-17, 178.4), (-13.8, -171.8), (-18.1, 178.1)]) {
            #expect(figures.bbox == [178.1, -18.1, -171.8, -13.8], "Fiji to Samoa and back")
        }
        for figures in try figures([(0, -170), (0, 170), (0, 0)]) {
            #expect(figures.bbox == [0, 0, -170, 0], "190° across the antimeridian is narrower than 340° without")
        }
        for figures in try figures([(0, -10), (0, 20), (5, 0)]) {
            #expect(figures.bbox == [-10, 0, 20, 5], "a route that stays off the antimeridian has the usual box")
        }
    }
}
