import Hummingbird
import JSON
import TripCore

/// A partial edit of a trip's name and waypoints, in the form its `Content-Type` names.
package enum TripPatch {
    case merge(JSONValue)
    case operations(JSONPatch)

    /// Reads the body as `application/merge-patch+json` (RFC 7396) or `application/json-patch+json` (RFC 6902);
    /// any other type is a 415 before the body is read.
    init(of request: Request) async throws {
        switch request.headers[.contentType].flatMap(mediaType) {
        case "application/merge-patch+json":
            self = .merge(try await JSONValue.body(of: request))
        case "application/json-patch+json":
            self = .operations(try JSONPatch(try await JSONValue.body(of: request)))
        default:
            throw Problem(
                .unsupportedMediaType, "A patch must be application/merge-patch+json or application/json-patch+json.")
        }
    }

    /// The trip's client-settable fields with the patch applied, still to be validated.
    package func applied(to trip: Trip) throws -> JSONValue {
        let waypoints = try trip.waypoints.json.withUnsafeBytes { try JSONValue(parsing: $0) }
        let document = JSONValue.object(["name": .string(trip.name), "waypoints": waypoints])
        switch self {
        case .merge(let patch): return document.merging(patch)
        case .operations(let patch): return try patch.applied(to: document)
        }
    }
}
