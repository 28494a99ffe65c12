import TripCore

extension ChangeCursor {
    /// The cursor as clients see it: its feed and position, big-endian, as 16 bytes of unpadded base64url.
    package var text: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        withUnsafeBytes(of: feed.bigEndian) { bytes += $0 }
        withUnsafeBytes(of: position.bigEndian) { bytes += $0 }
        return Base64URL.encode(bytes)
    }

    /// Parses `text`; nil unless it is a cursor this server could have given.
    package init?(text: String) {
        guard let bytes = Base64URL.decode(text), bytes.count == 16 else { return nil }
        let feed = bytes[..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let position = Int64(bitPattern: bytes[8...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        guard position >= 0 else { return nil }
        self.init(feed: Int64(bitPattern: feed), position: position)
    }
}
