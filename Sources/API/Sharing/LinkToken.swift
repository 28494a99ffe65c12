/// The token of a share or invitation link as its path carries it: 43 base64url digits spelling the 32 random bytes of
/// `Base64URL.randomToken`.
package enum LinkToken {
    /// The digest the stores key a share or an invitation by, or nil for a path segment no link can carry, which is then looked
    /// up nowhere.
    package static func digest(ofPathSegment segment: String) -> String? {
        guard segment.utf8.count == 43, Base64URL.decode(segment)?.count == 32 else { return nil }
        return CredentialDigester.tokenDigest(segment)
    }
}
