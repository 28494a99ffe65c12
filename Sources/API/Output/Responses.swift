import Foundation
import HTTPTypes
import Hummingbird
import JSON
import TripCore

struct TokenBody: Encodable {
    let token: String
    let expiresAt: Date
}

extension Response {
    /// A JSON response encoded the way every route encodes.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        .json(bytes: try JSONEncoder.api.encode(value), status: status, headers: headers)
    }

    /// A trip with its version as a strong ETag, for its owner's eyes only.
    static func trip(_ trip: Trip, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.eTag] = "\"\(trip.version)\""
        headers[.cacheControl] = tripCaching
        var writer = JSONWriter()
        writer.trip(trip)
        return .json(bytes: writer.bytes, status: status, headers: headers)
    }

    /// The answer to a read whose `If-None-Match` names the trip's version.
    static func notModified(_ trip: Trip) -> Response {
        Response(status: .notModified, headers: [.eTag: "\"\(trip.version)\"", .cacheControl: tripCaching])
    }

    /// A JSON array of the first of `trips` that fit in `limit` trips and `Limits.pageBytes`, with a `Link` to the
    /// next page when any are left out.
    static func page(of trips: [Trip], limit: Int) -> Response {
        var writer = JSONWriter(capacity: 4096)
        writer.raw("[")
        var shown = 0
        for trip in trips.prefix(limit) {
            let end = writer.bytes.count
            if shown > 0 { writer.raw(",") }
            writer.trip(trip)
            if shown > 0, writer.bytes.count + 1 > Limits.pageBytes {
                writer.truncate(to: end)
                break
            }
            shown += 1
        }
        writer.raw("]")
        var headers: HTTPFields = [.cacheControl: tripCaching]
        if shown < trips.count {
            headers[.link] = "</trips?limit=\(limit)&after=\(trips[shown - 1].id)>; rel=\"next\""
        }
        return .json(bytes: writer.bytes, status: .ok, headers: headers)
    }

    /// Kept by the owner's client only, and checked with the server before it is reused.
    static let tripCaching = "private, no-cache"

    static func json(bytes: some Sequence<UInt8>, status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension JSONWriter {
    /// A trip as its owner sees it: every field but the owner, and the route's figures, keys sorted.
    mutating func trip(_ trip: Trip) {
        raw("{")
        if let bbox = trip.waypoints.figures.bboxJSON {
            raw(#""bbox":"#)
            bbox.withUnsafeBytes { fragment($0) }
            raw(",")
        }
        raw(#""createdAt":"#)
        date(trip.createdAt)
        raw(#","distanceMeters":"#)
        integer(trip.waypoints.figures.distanceMeters)
        raw(#","id":"#)
        id(trip.id)
        raw(#","name":"#)
        string(trip.name)
        raw(#","updatedAt":"#)
        date(trip.updatedAt)
        raw(#","version":"#)
        integer(trip.version)
        raw(#","waypoints":"#)
        waypoints(trip.waypoints)
        raw("}")
    }
}

extension HTTPField.Name {
    static let link = Self("Link")!
}
