import Hummingbird
import TripCore

/// Where a change feed request starts, and how many changes a page holds: after `Last-Event-ID` when the client sends
/// one, as an `EventSource` does when it reconnects, else after `?since=`, else from scratch; and `?limit=`.
struct ChangeQuery {
    let since: ChangeCursor?
    let limit: Int

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        limit = try query.limit(in: Limits.changePageSize, default: Limits.changePageDefault)
        let ids = request.headers[values: .lastEventID]
        if !ids.isEmpty {
            guard ids.count == 1, let cursor = ChangeCursor(lastEventID: ids[0]) else {
                throw Problem(.badRequest, "Last-Event-ID must be one id of an event of /changes.")
            }
            since = cursor
        } else if let text = query.get("since") {
            guard let since = ChangeCursor(text: text) else {
                throw Problem.badQuery("since must be a cursor from an earlier answer of /changes.")
            }
            self.since = since
        } else {
            since = nil
        }
    }
}
