import Hummingbird
import JSON
import TripCore

extension Response {
    /// An RFC 7946 FeatureCollection: the route as a LineString carrying the trip's id, name and distance (with no
    /// geometry for fewer than two waypoints, which make no line), then each waypoint as a Point with its name and index.
    static func geoJSON(_ trip: Trip) throws -> Response {
        let waypoints = try trip.waypoints.decoded()
        var writer = JSONWriter(capacity: 256 + 128 * waypoints.count)
        writer.raw(#"{"type":"FeatureCollection","#)
        if let bbox = trip.waypoints.figures.bboxJSON {
            writer.raw(#""bbox":"#)
            bbox.withUnsafeBytes { writer.fragment($0) }
            writer.raw(",")
        }
        writer.raw(#""features":[{"type":"Feature","geometry":"#)
        if waypoints.count >= 2 {
            writer.raw(#"{"type":"LineString","coordinates":"#)
            writer.array(waypoints) { writer, waypoint in writer.position(waypoint) }
            writer.raw("}")
        } else {
            writer.raw("null")
        }
        writer.raw(#","properties":{"distanceMeters":"#)
        writer.integer(trip.waypoints.figures.distanceMeters)
        writer.raw(#","id":"#)
        writer.id(trip.id)
        writer.raw(#","name":"#)
        writer.string(trip.name)
        writer.raw("}}")
        for (index, waypoint) in waypoints.enumerated() {
            writer.raw(#",{"type":"Feature","geometry":{"type":"Point","coordinates":"#)
            writer.position(waypoint)
            writer.raw(#"},"properties":{"index":"#)
            writer.integer(index)
            writer.raw(#","name":"#)
            writer.string(waypoint.name)
            writer.raw("}}")
        }
        writer.raw("]}")
        return .export(writer.bytes, as: .geoJSON)
    }

    /// A trip in a format other than its JSON: for its owner only, revalidated before reuse, and varying with `Accept`.
    static func export(_ bytes: [UInt8], as format: TripFormat, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = format.mediaType
        headers[.cacheControl] = tripCaching
        headers[.vary] = "Accept"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension JSONWriter {
    /// `[longitude, latitude]`, RFC 7946's order.
    fileprivate mutating func position(_ waypoint: Waypoint) {
        raw("[")
        number(waypoint.longitude)
        raw(",")
        number(waypoint.latitude)
        raw("]")
    }
}
