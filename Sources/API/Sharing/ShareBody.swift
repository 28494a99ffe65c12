import Foundation
import TripCore

/// A share as its trip's owner sees it; `url` only in the answer that creates it, since only then is the token known.
struct ShareBody: Encodable {
    let share: Share
    var url: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(share.id, forKey: .id)
        try container.encodeIfPresent(url, forKey: .url)
        try container.encode(share.createdAt, forKey: .createdAt)
        try container.encode(share.expiresAt, forKey: .expiresAt)
    }

    private enum Key: String, CodingKey {
        case id, url, createdAt, expiresAt
    }
}
