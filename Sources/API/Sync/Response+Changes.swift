import Hummingbird
import JSON
import TripCore

extension Response {
    /// `{"changes":[…],"cursor":"…","hasMore":…}`, each change a trip or a tombstone.
    /// A page ends early, with `hasMore`, rather than pass `Limits.pageBytes`, unless its one change is larger.
    static func changes(_ page: ChangePage) -> Response {
        var writer = JSONWriter(capacity: 4096)
        writer.raw(#"{"changes":["#)
        var page = page
        for (index, change) in page.changes.enumerated() {
            let end = writer.bytes.count
            if index > 0 { writer.raw(",") }
            switch change {
            case .saved(let trip):
                writer.raw(#"{"id":"#)
                writer.id(trip.id)
                writer.raw(#","trip":"#)
                writer.trip(trip)
                writer.raw("}")
            case .deleted(let id):
                writer.raw(#"{"deleted":true,"id":"#)
                writer.id(id)
                writer.raw("}")
            }
            if index > 0, writer.bytes.count + Self.changePageTail > Limits.pageBytes {
                writer.truncate(to: end)
                page = page.prefix(index)
                break
            }
        }
        writer.raw(#"],"cursor":"#)
        writer.string(page.cursor.text)
        writer.raw(#","hasMore":"#)
        writer.raw(page.hasMore ? "true" : "false")
        writer.raw("}")
        return .json(bytes: writer.bytes, status: .ok, headers: [.cacheControl: tripCaching])
    }

    /// The most bytes that follow the last change: `],"cursor":"…","hasMore":false}`.
    private static let changePageTail = 64
}
