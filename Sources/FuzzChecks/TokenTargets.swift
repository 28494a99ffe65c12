import API
import TripCore

extension FuzzTargets {
    /// Change cursors: a text that parses is the text its cursor writes, and any cursor's text parses back to it.
    static func changeCursor(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let cursor = ChangeCursor(text: text) {
            check(cursor.position >= 0, "a cursor at position \(cursor.position)")
            check(cursor.text == text, "\(text.debugDescription) parses but is written \(cursor.text.debugDescription)")
        }
        guard bytes.count >= 16 else { return }
        let feed = bytes.prefix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) }
        let position = bytes.dropFirst(8).prefix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) } & .max
        let cursor = ChangeCursor(feed: feed, position: position)
        check(ChangeCursor(text: cursor.text) == cursor, "\(cursor) does not read back from \(cursor.text)")
    }

    /// Share and invitation tokens in paths (`/s/…`, `/join/…`): any segment is looked up only when it is a token this server could have issued, by a
    /// SHA-256 digest in hex, and every such token is.
    static func shareToken(_ bytes: UnsafeRawBufferPointer) {
        let segment = String(decoding: bytes, as: UTF8.self)
        let digest = LinkToken.digest(ofPathSegment: segment)
        let issuable = Base64URL.decode(segment).map { $0.count == 32 && Base64URL.encode($0) == segment } ?? false
        check((digest != nil) == issuable, "\(segment.debugDescription) looked up: \(digest != nil), issuable: \(issuable)")
        if let digest {
            check(digest.utf8.count == 64 && digest.utf8.allSatisfy { "0123456789abcdef".utf8.contains($0) }, "digest \(digest)")
        }
        guard bytes.count >= 32 else { return }
        let token = Base64URL.encode(Array(bytes.prefix(32)))
        check(LinkToken.digest(ofPathSegment: token) != nil, "the token \(token) of 32 bytes is not looked up")
    }
}
