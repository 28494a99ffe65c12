import Foundation
import HTTPTypes
import Hummingbird
import TripCore

struct TripBody: Encodable {
    let id: TripID
    let name: String
    let waypoints: [Waypoint]
    let createdAt: Date
    let updatedAt: Date
    let version: Int

    init(_ trip: Trip) {
        id = trip.id
        name = trip.name
        waypoints = trip.waypoints
        createdAt = trip.createdAt
        updatedAt = trip.updatedAt
        version = trip.version
    }
}

struct TokenBody: Encodable {
    let token: String
    let expiresAt: Date
}

extension Response {
    /// A JSON response encoded the way every route encodes.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        let body = try JSONEncoder.api.encode(value)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A trip with its version as a strong ETag.
    static func trip(_ trip: Trip, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.eTag] = "\"\(trip.version)\""
        return try .json(TripBody(trip), status: status, headers: headers)
    }
}

extension HTTPField.Name {
    static let link = Self("Link")!
}
