import API
import Foundation
import JSON
import TripCore

extension FuzzTargets {
    /// `Last-Event-ID`, and the event it comes back from: a header is taken only as the very id of an event this server
    /// could have sent; and any text a client may put in a trip, here its name and a stop's, travels inside one event's
    /// one `data:` line, so that a reader following HTML's rules gets back that event's id, its name and the trip's
    /// JSON, and no field a client smuggled in.
    static func lastEventID(_ bytes: UnsafeRawBufferPointer) {
        let header = String(decoding: bytes, as: UTF8.self)
        if let cursor = ChangeCursor(lastEventID: header) {
            check(cursor.text == header && cursor.position >= 0, "\(header.debugDescription) is taken as \(cursor)")
        }
        let cursor = ChangeCursor(
            feed: Int64(bitPattern: UInt64(truncatingIfNeeded: header.hashValue)), position: Int64(bytes.count))
        let trip = Trip(
            id: TripID(ObjectID(date: Date(timeIntervalSince1970: 0))), owner: OwnerID(ObjectID(date: Date(timeIntervalSince1970: 0))),
            name: header, waypoints: Waypoints([Waypoint(name: header, latitude: 0, longitude: 0)]),
            createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0), version: 1)
        var json = JSONWriter()
        json.change(.saved(trip))
        let event = EventStreamText.event("change", id: cursor, data: json.bytes)
        let fields = Self.eventFields(Array(event.readableBytesView))
        check(fields.map(\.name) == ["id", "event", "data"], "the event reads as the fields \(fields.map(\.name))")
        guard fields.count == 3 else { return }
        check(ChangeCursor(lastEventID: fields[0].value) == cursor, "the id \(fields[0].value.debugDescription) is not \(cursor)")
        check(fields[1].value == "change", "the event is named \(fields[1].value.debugDescription)")
        let data = Array(fields[2].value.utf8)
        let parsed = data.withUnsafeBytes { try? JSONValue(parsing: $0) }
        guard case .object(let change)? = parsed, case .object(let sent)? = change["trip"] else {
            return check(false, "the data \(fields[2].value.debugDescription) is not the change's JSON")
        }
        check(sent["name"] == .string(header), "the trip's name came out as \(String(describing: sent["name"]))")
    }

    /// An event block as HTML's event-stream parser reads it: lines end at CR, LF or CRLF; a line up to its first
    /// colon is a field's name, after it and one optional space its value; comments and blank lines are skipped.
    private static func eventFields(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        var lines: [[UInt8]] = [[]]
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                lines.append([])
            } else {
                lines[lines.count - 1].append(byte)
            }
            index += 1
        }
        for line in lines where !line.isEmpty && line.first != UInt8(ascii: ":") {
            let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
            var value = colon < line.endIndex ? Array(line[(colon + 1)...]) : []
            if value.first == UInt8(ascii: " ") { value.removeFirst() }
            fields.append((String(decoding: line[..<colon], as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
        return fields
    }
}
