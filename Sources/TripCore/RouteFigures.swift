import Foundation

/// What a route's waypoints add up to, computed from them whenever they are read or written.
public struct RouteFigures: Hashable, Sendable {
    /// The sum of the great-circle legs between consecutive waypoints, to the metre; 0 for fewer than two.
    public let distanceMeters: Int
    /// `[west, south, east, north]` as RFC 7946 §5 has it, west past east when the route crosses the antimeridian;
    /// nil without waypoints.
    public let bbox: [Double]?

    /// The mean radius of the Earth that haversine distances assume.
    static let earthRadiusMeters = 6_371_008.8

    init(latitudes: [Double], longitudes: [Double]) {
        var meters = 0.0
        for leg in latitudes.indices.dropFirst() {
            meters += Self.haversine(
                latitudes[leg - 1], longitudes[leg - 1], latitudes[leg], longitudes[leg])
        }
        distanceMeters = Int(meters.rounded())
        guard let south = latitudes.min(), let north = latitudes.max() else {
            bbox = nil
            return
        }
        let (west, east) = Self.narrowestSpan(longitudes)
        bbox = [west, south, east, north]
    }

    private static func haversine(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let radians = Double.pi / 180
        let dLat = (lat2 - lat1) * radians
        let dLon = (lon2 - lon1) * radians
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * earthRadiusMeters * asin(min(1, h.squareRoot()))
    }

    /// The western and eastern edges of the narrowest band of longitudes holding every one: the band left when the
    /// widest gap between neighbouring longitudes, around the globe, is taken out.
    private static func narrowestSpan(_ longitudes: [Double]) -> (west: Double, east: Double) {
        let sorted = longitudes.sorted()
        var west = sorted[0]
        var east = sorted[sorted.count - 1]
        var widestGap = sorted[0] + 360 - east
        for index in sorted.indices.dropFirst() where sorted[index] - sorted[index - 1] > widestGap {
            widestGap = sorted[index] - sorted[index - 1]
            west = sorted[index]
            east = sorted[index - 1]
        }
        return (west, east)
    }
}
