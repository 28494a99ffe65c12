import HTTPTypes
import Hummingbird
import TripCore

/// Where a live change stream starts: after `Last-Event-ID` when the client sends one, as an `EventSource` does when it
/// reconnects, else after `?since=`, else from scratch.
struct StreamStart {
    let since: ChangeCursor?

    init(_ request: Request) throws {
        let ids = request.headers[values: .lastEventID]
        guard !ids.isEmpty else {
            since = try ChangeQuery(request.uri.queryParameters).since
            return
        }
        guard ids.count == 1, let cursor = ChangeCursor(lastEventID: ids[0]) else {
            throw Problem(.badRequest, "Last-Event-ID must be one id of an event of /changes.")
        }
        since = cursor
    }

    /// Whether the request asks for the stream rather than a page: `text/event-stream` among the types it accepts.
    static func isRequested(by request: Request) -> Bool {
        request.headers[values: .accept].contains { field in
            field.split(separator: ",").contains { type in
                type.split(separator: ";", maxSplits: 1).first.map {
                    $0.trimmingHTTPWhitespace.lowercased() == EventStreamText.contentType
                } ?? false
            }
        }
    }
}

extension ChangeCursor {
    /// Parses a `Last-Event-ID` header: the `id:` of an event this server sent, nothing around it.
    package init?(lastEventID: String) {
        self.init(text: lastEventID)
    }
}

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
    static let xAccelBuffering = Self("X-Accel-Buffering")!
}
