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

    /// A trip with its entity tag as a strong ETag, for the eyes of its reader only.
    static func trip(_ trip: Trip, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.eTag] = "\"\(trip.entityTag)\""
        headers[.cacheControl] = tripCaching
        var writer = JSONWriter()
        writer.trip(trip)
        return .json(bytes: writer.bytes, status: status, headers: headers)
    }

    /// The answer to a read whose `If-None-Match` names the trip's entity tag.
    static func notModified(_ trip: Trip) -> Response {
        Response(status: .notModified, headers: [.eTag: "\"\(trip.entityTag)\"", .cacheControl: tripCaching])
    }

    /// A page of trips as a JSON array, with a `Link` to the next page, in the same role, when more follow.
    static func page(_ page: JSONPage<Trip>, limit: Int, role: TripRole?) -> Response {
        var headers: HTTPFields = [.cacheControl: tripCaching]
        if page.hasMore, let last = page.items.last {
            let inRole = role.map { "&role=\($0.rawValue)" } ?? ""
            headers[.link] = "</trips?limit=\(limit)&after=\(last.id)\(inRole)>; rel=\"next\""
        }
        return .json(bytes: [UInt8(ascii: "[")] + page.json + [UInt8(ascii: "]")], status: .ok, headers: headers)
    }

    /// Kept by the owner's client only, and checked with the server before it is reused.
    static let tripCaching = "private, no-cache"

    static func json(bytes: some Sequence<UInt8>, status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension Trip {
    /// The opaque part of its `ETag`: the version, and for a member their role, which the representation holds.
    var entityTag: String {
        switch access?.role {
        case .editor?: "\(version)-editor"
        case .viewer?: "\(version)-viewer"
        case .owner?, nil: "\(version)"
        }
    }
}

extension PageBudget {
    /// A page of trips ends rather than pass `Limits.pageBytes`, brackets included, unless its one trip is larger.
    static func tripPage(limit: Int) -> PageBudget {
        PageBudget(limit: limit, byteBudget: Limits.pageBytes - 2)
    }
}

extension HTTPField.Name {
    static let link = Self("Link")!
}
