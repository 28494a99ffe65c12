import Hummingbird
import TripCore

/// `?since=` and `?limit=` of a change feed request.
struct ChangeQuery {
    let since: ChangeCursor?
    let limit: Int

    init(_ query: Parameters) throws {
        if let text = query.get("limit") {
            guard let limit = Int(text), Limits.changePageSize.contains(limit) else {
                throw Problem.badQuery(
                    "limit must be an integer from \(Limits.changePageSize.lowerBound) to \(Limits.changePageSize.upperBound).")
            }
            self.limit = limit
        } else {
            limit = Limits.changePageDefault
        }
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
