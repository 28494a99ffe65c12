import HTTPTypes
import Hummingbird
import TripCore

/// What asks for a live change stream rather than a page.
enum StreamRequest {
    /// Whether `accept` asks for the stream rather than a page: it names `text/event-stream` itself, with a quality
    /// above 0. A wildcard such as `*/*` asks for the page, as every client that predates the stream sends.
    static func isRequested(accepting accept: [String]) -> Bool {
        accept.contains { header in
            MediaRange.list(header).contains { $0.type == "text" && $0.subtype == "event-stream" && $0.quality > 0 }
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
