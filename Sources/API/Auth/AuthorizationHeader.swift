import Foundation

/// An `Authorization` header as the server reads it: Basic credentials or a bearer token, nil for anything else.
package enum AuthorizationHeader: Equatable {
    case basic(username: String, password: String)
    case bearer(token: String)

    /// The scheme is case-insensitive; Basic credentials are base64 of UTF-8 `username:password`, split at the
    /// first colon; separators are found by byte, so no grapheme cluster can hide one.
    package init?(_ header: String) {
        guard let space = header.utf8.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let credentials = String(header[space...].trimmingHTTPWhitespace)
        switch header[..<space].lowercased() {
        case "basic":
            guard let decoded = Data(base64Encoded: credentials).flatMap({ String(data: $0, encoding: .utf8) }),
                let colon = decoded.utf8.firstIndex(of: UInt8(ascii: ":"))
            else { return nil }
            self = .basic(username: String(decoded[..<colon]), password: String(decoded[decoded.utf8.index(after: colon)...]))
        case "bearer":
            self = .bearer(token: credentials)
        default:
            return nil
        }
    }
}
