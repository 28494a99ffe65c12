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

    /// A page of trips as a JSON array.
    static func trips(_ trips: some Sequence<Trip>, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.cacheControl] = tripCaching
        var writer = JSONWriter(capacity: 4096)
        writer.array(trips) { writer, trip in writer.trip(trip) }
        return .json(bytes: writer.bytes, status: .ok, headers: headers)
    }

    /// Kept by the owner's client only, and checked with the server before it is reused.
    private static let tripCaching = "private, no-cache"

    private static func json(bytes: some Sequence<UInt8>, status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension JSONWriter {
    /// A trip as its owner sees it: every field but the owner, keys sorted.
    mutating func trip(_ trip: Trip) {
        raw(#"{"createdAt":"#)
        date(trip.createdAt)
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
