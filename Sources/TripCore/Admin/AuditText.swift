/// What an audit event's free text (a reason, a client address) may be, from an admin command or an archive alike:
/// 1 to 1000 bytes, no control character and nothing XML forbids, so that every trail prints as one line per event
/// and every export imports again.
public enum AuditText {
    public static let bytes = 1...1000

    /// Why `text` may not be recorded, or nil when it may.
    public static func refusal(of text: String) -> String? {
        guard bytes.contains(text.utf8.count) else { return "must be \(bytes.lowerBound) to \(bytes.upperBound) bytes" }
        guard !text.unicodeScalars.contains(where: \.isForbiddenInText) else {
            return "must not contain control characters, U+FFFE or U+FFFF"
        }
        return nil
    }

    /// `text` made recordable: what may not be is replaced by U+FFFD, and it is cut to the bound. For what the
    /// operating system says (a user or host name), which the operator cannot correct.
    public static func recordable(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            let kept: Unicode.Scalar = scalar.isForbiddenInText ? "\u{FFFD}" : scalar
            count += String(kept).utf8.count
            guard count <= bytes.upperBound else { break }
            scalars.append(kept)
        }
        return scalars.isEmpty ? "?" : String(scalars)
    }
}
