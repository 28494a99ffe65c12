/// A `mongodb://` URL as it may be shown: in a log line or an error, its password is `***`.
public enum MongoURL {
    /// The password between `user:` and `@`, if the URL has one.
    private static func password(in url: String) -> Substring? {
        guard let scheme = url.range(of: "://") else { return nil }
        let authority = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return nil }
        let password = authority[authority.index(after: colon)..<at]
        return password.isEmpty ? nil : password
    }

    /// `text` with every appearance of the URL's password, raw or percent-encoded as written, replaced by `***`.
    public static func redacting(_ url: String, in text: String) -> String {
        guard let password = password(in: url) else { return text }
        var redacted = text.replacingOccurrences(of: String(password), with: "***")
        if let decoded = password.removingPercentEncoding, decoded != String(password) {
            redacted = redacted.replacingOccurrences(of: decoded, with: "***")
        }
        return redacted
    }
}
