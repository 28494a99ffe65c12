import Foundation

/// What an `If-Match` header asks of a replace, compared strongly as RFC 9110 says for If-Match.
enum IfMatch {
    /// The version the header demands: nil for no header or `*`. An entity tag naming no version this
    /// server issues, or a weak one, demands version 0, which no trip has. Generated clients
    /// percent-encode header values (`%223%22`), so a value that percent-decodes is read as its decoding.
    static func expectedVersion(_ header: String?) throws(Problem) -> Int? {
        guard let header else { return nil }
        let decoded = header.contains("%") ? header.removingPercentEncoding ?? header : header
        let value = decoded.trimmingHTTPWhitespace
        if value == "*" { return nil }
        let isWeak = value.hasPrefix("W/")
        let tag = isWeak ? value.dropFirst(2) : value[...]
        guard tag.count >= 2, tag.first == "\"", tag.last == "\"" else { throw malformed }
        let opaque = tag.dropFirst().dropLast()
        guard opaque.utf8.allSatisfy(isEntityTagCharacter) else { throw malformed }
        guard !isWeak, let version = Int(opaque), version > 0 else { return 0 }
        return version
    }

    /// `etagc` of RFC 9110: any visible character but `"`, or any byte past ASCII.
    private static func isEntityTagCharacter(_ byte: UInt8) -> Bool {
        byte == 0x21 || (0x23...0x7E).contains(byte) || byte >= 0x80
    }

    private static let malformed = Problem(
        .badRequest, #"If-Match must be one entity tag as sent in ETag, such as "3", or *."#)
}
