import Hummingbird
import NIOPosix
import JSON
import TripCore

extension JSONValue {
    /// Reads at most `Limits.maxBodyBytes` of the request body and parses it; anything unparsable is a 400, and a body
    /// not labelled as uncompressed JSON is a 415 before it is read.
    static func body(of request: Request) async throws -> JSONValue {
        try requireJSON(request.headers)
        let buffer = try await request.body.collect(upTo: Limits.maxBodyBytes)
        do {
            return try buffer.withUnsafeReadableBytes { bytes in try JSONValue(parsing: bytes) }
        } catch let error as JSONParser.Failure {
            throw Problem(.badRequest, "The request body is not valid JSON: \(error.reason) at byte \(error.offset).")
        }
    }
}

/// A `Content-Type` without its parameters, in lower case.
func mediaType(_ contentType: String) -> String {
    contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingHTTPWhitespace.lowercased() } ?? ""
}

/// `application/json` or any `+json` type, parameters allowed, with no content coding but identity.
private func requireJSON(_ headers: HTTPFields) throws(Problem) {
    let mediaType = headers[.contentType].map(mediaType)
    guard let mediaType, mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    else {
        throw Problem(.unsupportedMediaType, "The request body must be JSON, sent as Content-Type: application/json.")
    }
    try requireIdentityCoding(headers)
}

/// A trip to create, from JSON or, sent as `application/gpx+xml`, from the route of a GPX document, which is read
/// on `threads` since a large one takes a while.
func newTripJSON(of request: Request, threads: NIOThreadPool) async throws -> JSONValue {
    guard request.headers[.contentType].map(mediaType) == TripFormat.gpx.mediaType else { return try await JSONValue.body(of: request) }
    try requireIdentityCoding(request.headers)
    let bytes = Array(buffer: try await request.body.collect(upTo: Limits.maxBodyBytes))
    return try await threads.runIfActive { try GPXRoute.trip(from: bytes) }
}

private func requireIdentityCoding(_ headers: HTTPFields) throws(Problem) {
    for coding in headers[values: .contentEncoding] where coding.trimmingHTTPWhitespace.lowercased() != "identity" {
        throw Problem(.unsupportedMediaType, "The request body must not be compressed; Content-Encoding must be identity.")
    }
}
