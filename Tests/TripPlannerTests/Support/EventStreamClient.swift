import Foundation

/// A live change stream read over a plain socket, as an app's `EventSource` would: the response's head, then its
/// chunked body parsed into Server-Sent Events as they come. The blocking reads run on a Dispatch thread.
final class EventStreamClient: @unchecked Sendable {
    struct Event: Equatable {
        var id: String?
        var name: String
        var data: String
    }

    let status: Int
    let headers: [String: String]
    let connection: RawHTTP.Connection
    /// Bytes read but not yet decoded from chunks, and decoded but not yet a whole event.
    private var raw: [UInt8]
    private var text: [UInt8] = []
    private var bodyEnded = false

    /// Opens `GET /changes` as a stream; with `receiveBuffer`, the socket takes in at most about that many bytes.
    static func open(
        port: Int, authorization: String, headers: [String: String] = [:], query: String = "",
        receiveBuffer: Int? = nil
    ) async throws -> EventStreamClient {
        try await RawHTTP.offPool {
            try EventStreamClient(
                port: port, authorization: authorization, headers: headers, query: query, receiveBuffer: receiveBuffer)
        }
    }

    private init(port: Int, authorization: String, headers: [String: String], query: String, receiveBuffer: Int?) throws {
        connection = try RawHTTP.Connection(port: port, receiveBuffer: receiveBuffer)
        var lines = [
            "GET /changes\(query) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Accept: text/event-stream",
            "Authorization: \(authorization)",
        ]
        lines += headers.map { "\($0.key): \($0.value)" }
        try connection.send(Data((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8))
        var received: [UInt8] = []
        while true {
            if let end = received.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: received[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
                status = head.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
                var fields: [String: String] = [:]
                for line in head.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                self.headers = fields
                raw = Array(received[end.upperBound...])
                return
            }
            guard let more = try connection.receiveSome() else { throw CocoaError(.fileReadCorruptFile) }
            received += more
        }
    }

    /// The next event, comments included as events named `comment`; nil once the server ends the stream or closes.
    /// Throws when nothing comes within the socket's receive timeout.
    func next() async throws -> Event? {
        try Task.checkCancellation()
        return try await RawHTTP.offPool { try self.nextEvent() }
    }

    /// Events until one satisfies `isLast`, that one included; fails if the stream ends first.
    func events(through isLast: (Event) -> Bool) async throws -> [Event] {
        var events: [Event] = []
        while let event = try await next() {
            events.append(event)
            if isLast(event) { return events }
        }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the stream ended after \(events)"])
    }

    /// Reads until the server ends the stream or closes the connection, and returns the events on the way; throws
    /// if that takes longer than `limit`.
    func untilEnd(within limit: Duration = .seconds(30)) async throws -> [Event] {
        let deadline = ContinuousClock.now + limit
        var events: [Event] = []
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the stream did not end within \(limit)"]) }
            connection.setReceiveTimeout(left)
            guard let event = try await next() else { return events }
            events.append(event)
        }
    }

    func close() { connection.close() }

    private func nextEvent() throws -> Event? {
        while true {
            if let event = takeEvent() { return event }
            if bodyEnded { return nil }
            if !decodeChunk() {
                guard let more = try connection.receiveSome() else {
                    bodyEnded = true
                    continue
                }
                raw += more
            }
        }
    }

    /// Moves one whole chunk from `raw` to `text`; false when `raw` holds none yet.
    private func decodeChunk() -> Bool {
        guard let line = raw.firstRange(of: Array("\r\n".utf8)),
            let size = Int(String(decoding: raw[..<line.lowerBound], as: UTF8.self), radix: 16)
        else { return false }
        if size == 0 {
            bodyEnded = true
            raw = []
            return true
        }
        guard raw.count >= line.upperBound + size + 2 else { return false }
        text += raw[line.upperBound..<(line.upperBound + size)]
        raw.removeFirst(line.upperBound + size + 2)
        return true
    }

    private func takeEvent() -> Event? {
        guard let end = text.firstRange(of: Array("\n\n".utf8)) else { return nil }
        let block = String(decoding: text[..<end.lowerBound], as: UTF8.self)
        text.removeFirst(end.upperBound)
        var event = Event(id: nil, name: "message", data: "")
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") { return Event(id: nil, name: "comment", data: String(line.dropFirst())) }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            switch line[..<colon] {
            case "id": event.id = String(value)
            case "event": event.name = String(value)
            case "data": event.data = String(value)
            case "retry": event.name = "retry"; event.data = String(value)
            default: break
            }
        }
        return event
    }
}
