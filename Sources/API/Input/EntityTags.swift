import Foundation

/// An `If-Match` or `If-None-Match` header: `*`, or a comma-separated list of entity tags (RFC 9110 §13.1).
/// A trip's entity tag is its version in quotes, and for a member the version and their role (`"3-editor"`), since the
/// representation holds the role; a precondition on a write compares the version alone. Generated clients
/// percent-encode header values (`%223%22`), so a value that percent-decodes is read as its decoding.
package struct EntityTags {
    private let isAny: Bool
    private let tags: [(isWeak: Bool, opaque: Substring)]

    /// Nil when the header is absent; a malformed one is a 400 that names it.
    package init?(_ header: String?, name: String) throws(Problem) {
        guard let header else { return nil }
        let value = (header.contains("%") ? header.removingPercentEncoding ?? header : header).trimmingHTTPWhitespace
        if value == "*" {
            (isAny, tags) = (true, [])
            return
        }
        guard let tags = Self.parse(value), !tags.isEmpty else {
            throw Problem(.badRequest, "\(name) must be entity tags as sent in ETag, such as \"3\", separated by commas, or *.")
        }
        (isAny, self.tags) = (false, tags)
    }

    /// Strong comparison of versions, as `If-Match` requires: a weak tag matches no version.
    package func matchStrongly(_ version: Int) -> Bool {
        isAny || tags.contains { !$0.isWeak && Self.version(of: $0.opaque) == version }
    }

    /// Weak comparison of versions, as `If-None-Match` allows.
    package func matchWeakly(_ version: Int) -> Bool {
        isAny || tags.contains { Self.version(of: $0.opaque) == version }
    }

    /// Weak comparison with an entity tag's opaque part, such as one made from a representation's bytes.
    func matchWeakly(opaque: Substring) -> Bool {
        isAny || tags.contains { $0.opaque == opaque }
    }

    /// The version that one strong tag names, spelled exactly as an `ETag`, 0 for a tag no trip has; nil for `*` or
    /// a list.
    package var onlyVersion: Int? {
        guard !isAny, tags.count == 1, let tag = tags.first else { return nil }
        guard !tag.isWeak, let version = Self.version(of: tag.opaque) else { return 0 }
        return version
    }

    /// The version a trip's tag names: a positive number in plain digits, alone or followed by a member's role.
    package static func version(of opaque: Substring) -> Int? {
        let digits = opaque.prefix { $0.isASCII && $0.isNumber }
        guard let version = Int(digits), version > 0, String(version) == digits else { return nil }
        let role = opaque.dropFirst(digits.count)
        guard role.isEmpty || role == "-editor" || role == "-viewer" else { return nil }
        return version
    }

    package var isWildcard: Bool { isAny }

    private static func parse(_ value: Substring) -> [(isWeak: Bool, opaque: Substring)]? {
        var tags: [(isWeak: Bool, opaque: Substring)] = []
        var rest = value
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            let isWeak = rest.hasPrefix("W/")
            if isWeak { rest = rest.dropFirst(2) }
            guard rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") else { return nil }
            let opaque = rest[rest.index(after: rest.startIndex)..<close]
            guard opaque.utf8.allSatisfy(isEntityTagCharacter) else { return nil }
            tags.append((isWeak, opaque))
            rest = rest[rest.index(after: close)...].drop { $0 == " " || $0 == "\t" }
            if rest.isEmpty { return tags }
            guard rest.first == "," else { return nil }
            rest = rest.dropFirst()
        }
    }

    /// `etagc` of RFC 9110: any visible character but `"`, or any byte past ASCII.
    private static func isEntityTagCharacter(_ byte: UInt8) -> Bool {
        byte == 0x21 || (0x23...0x7E).contains(byte) || byte >= 0x80
    }
}
