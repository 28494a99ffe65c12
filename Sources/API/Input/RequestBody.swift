import Hummingbird
import JSON
import TripCore

extension JSONValue {
    /// Reads at most `Limits.maxBodyBytes` of the request body and parses it; anything unparsable is a 400.
    static func body(of request: Request) async throws -> JSONValue {
        let buffer = try await request.body.collect(upTo: Limits.maxBodyBytes)
        do {
            return try buffer.withUnsafeReadableBytes { bytes in try JSONValue(parsing: bytes) }
        } catch let error as JSONParser.Failure {
            throw Problem(.badRequest, "The request body is not valid JSON: \(error.reason) at byte \(error.offset).")
        }
    }
}
