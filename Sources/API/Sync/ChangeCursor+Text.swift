import Foundation
import TripCore

extension ChangeCursor {
    /// The cursor as clients see it: its feed and position as 16 bytes of unpadded base64url.
    var text: String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(16)
        withUnsafeBytes(of: feed.bigEndian) { bytes += $0 }
        withUnsafeBytes(of: position.bigEndian) { bytes += $0 }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Parses `text`; nil unless it is a cursor this server could have given.
    init?(text: String) {
        guard text.utf8.count == 22, text.utf8.allSatisfy({ $0.isBase64URLDigit }) else { return nil }
        let standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "=="
        guard let data = Data(base64Encoded: standard), data.count == 16 else { return nil }
        let feed = data.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let position = data.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard Int64(bitPattern: position) >= 0 else { return nil }
        self.init(feed: Int64(bitPattern: feed), position: Int64(bitPattern: position))
        guard self.text == text else { return nil }
    }
}

extension UInt8 {
    fileprivate var isBase64URLDigit: Bool {
        switch self {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}
