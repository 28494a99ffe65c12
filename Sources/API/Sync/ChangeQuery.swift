import Hummingbird
import TripCore

/// `?since=` and `?limit=` of a change feed request.
struct ChangeQuery {
    let since: ChangeCursor?
    let limit: Int

    init(_ query: Parameters) throws {
        limit = try query.limit(in: Limits.changePageSize, default: Limits.changePageDefault)
        if let text = query.get("since") {
            guard let since = ChangeCursor(text: text) else {
                throw Problem.badQuery("since must be a cursor from an earlier answer of /changes.")
            }
            self.since = since
        } else {
            since = nil
        }
    }
}
