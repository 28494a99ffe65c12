import Foundation
import Hummingbird

/// Any JSON value, so that validation can name each wrong field instead of failing on the first.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Reads at most `Limits.maxBodyBytes` of the request body and parses it; anything unparsable is a 400.
    static func body(of request: Request) async throws -> JSONValue {
        let buffer = try await request.body.collect(upTo: Limits.maxBodyBytes)
        do {
            return try buffer.withUnsafeReadableBytes { bytes in
                var parser = JSONParser(bytes: bytes)
                return try parser.document()
            }
        } catch let error as JSONParser.Failure {
            throw Problem(.badRequest, "The request body is not valid JSON: \(error.reason) at byte \(error.offset).")
        }
    }
}
