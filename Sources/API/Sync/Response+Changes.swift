import Hummingbird
import JSON
import TripCore

extension Response {
    /// `{"changes":[…],"cursor":"…","hasMore":…}`, each change a trip or a tombstone.
    static func changes(_ page: ChangePage) -> Response {
        var writer = JSONWriter(capacity: 4096)
        writer.raw(#"{"changes":["#)
        for (index, change) in page.changes.enumerated() {
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
        }
        writer.raw(#"],"cursor":"#)
        writer.string(page.cursor.text)
        writer.raw(#","hasMore":"#)
        writer.raw(page.hasMore ? "true" : "false")
        writer.raw("}")
        return .json(bytes: writer.bytes, status: .ok, headers: [.cacheControl: tripCaching])
    }
}
