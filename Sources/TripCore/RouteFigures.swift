import Foundation
import JSON

/// What a route's waypoints add up to, computed from them whenever they are read or written.
public struct RouteFigures: Hashable, Sendable {
    /// The sum of the great-circle legs between consecutive waypoints, to the metre; 0 for fewer than two.
    public let distanceMeters: Int
    /// `[west, south, east, north]` as RFC 7946 §5 has it, west past east when the route crosses the antimeridian;
    /// nil without waypoints.
    public let bbox: [Double]?
    /// `bbox` spelled as JSON, from the spellings of the coordinates it was taken from.
    public let bboxJSON: [UInt8]?

    /// The mean radius of the Earth that haversine distances assume.
    static let earthRadiusMeters = 6_371_008.8

    /// Haversine legs, each point's cosine of latitude computed once for both legs it ends and starts. `spell` writes
    /// coordinate `index` (a latitude or not) as JSON, so that `bboxJSON` copies spellings already at hand.
    init(latitudes: [Double], longitudes: [Double], spell: (inout JSONWriter, _ isLatitude: Bool, _ index: Int) -> Void) {
        let radians = Double.pi / 180
        var meters = 0.0
        var previousCosine = latitudes.first.map { cos($0 * radians) } ?? 0
        for leg in latitudes.indices.dropFirst() {
            let cosine = cos(latitudes[leg] * radians)
            let halfLatitude = sin((latitudes[leg] - latitudes[leg - 1]) * radians / 2)
            let halfLongitude = sin((longitudes[leg] - longitudes[leg - 1]) * radians / 2)
            let h = halfLatitude * halfLatitude + previousCosine * cosine * halfLongitude * halfLongitude
            meters += 2 * Self.earthRadiusMeters * asin(min(1, h.squareRoot()))
            previousCosine = cosine
        }
        distanceMeters = Int(meters.rounded())
        guard let south = latitudes.indices.min(by: { latitudes[$0] < latitudes[$1] }),
            let north = latitudes.indices.max(by: { latitudes[$0] < latitudes[$1] }),
            var west = longitudes.indices.min(by: { longitudes[$0] < longitudes[$1] }),
            var east = longitudes.indices.max(by: { longitudes[$0] < longitudes[$1] })
        else {
            bbox = nil
            bboxJSON = nil
            return
        }
        // Within 180° the gap around the back of the globe is the widest, so the plain box is the narrowest.
        if longitudes[east] - longitudes[west] > 180 { (west, east) = Self.narrowestSpan(longitudes) }
        bbox = [longitudes[west], latitudes[south], longitudes[east], latitudes[north]]
        var writer = JSONWriter(capacity: 64)
        writer.raw("[")
        spell(&writer, false, west)
        writer.raw(",")
        spell(&writer, true, south)
        writer.raw(",")
        spell(&writer, false, east)
        writer.raw(",")
        spell(&writer, true, north)
        writer.raw("]")
        bboxJSON = writer.bytes
    }

    /// The indices of the western and eastern edges of the narrowest band of longitudes holding every one: the band
    /// left when the widest gap between neighbouring longitudes, around the globe, is taken out.
    private static func narrowestSpan(_ longitudes: [Double]) -> (west: Int, east: Int) {
        let sorted = longitudes.indices.sorted { longitudes[$0] < longitudes[$1] }
        var west = sorted[0]
        var east = sorted[sorted.count - 1]
        var widestGap = longitudes[west] + 360 - longitudes[east]
        for index in sorted.indices.dropFirst() where longitudes[sorted[index]] - longitudes[sorted[index - 1]] > widestGap {
            widestGap = longitudes[sorted[index]] - longitudes[sorted[index - 1]]
            west = sorted[index]
            east = sorted[index - 1]
        }
        return (west, east)
    }
}
