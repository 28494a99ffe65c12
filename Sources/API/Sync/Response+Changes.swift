import Hummingbird
import JSON
import TripCore

extension Response {
    /// `{"changes":[…],"cursor":"…","hasMore":…}`, each change a trip or a tombstone.
    static func changes(_ page: ChangePage) -> Response {
        var writer = JSONWriter(capacity: page.json.count + PageBudget.changePageFrame)
        writer.raw(#"{"changes":["#)
        page.json.withUnsafeBytes { writer.fragment($0) }
        writer.raw(#"],"cursor":"#)
        writer.string(page.cursor.text)
        writer.raw(#","hasMore":"#)
        writer.raw(page.hasMore ? "true" : "false")
        writer.raw("}")
        return .json(bytes: writer.bytes, status: .ok, headers: [.cacheControl: tripCaching])
    }
}

extension PageBudget {
    /// A page of changes ends rather than pass `Limits.pageBytes`, its frame included, unless its one change is larger.
    static func changePage(limit: Int) -> PageBudget {
        PageBudget(limit: limit, byteBudget: Limits.pageBytes - changePageFrame)
    }

    /// The most bytes around the changes: `{"changes":[` and `],"cursor":"…","hasMore":false}`.
    static let changePageFrame = 12 + 64
}
