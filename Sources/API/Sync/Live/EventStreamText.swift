import NIOCore
import TripCore

/// What a live change stream writes, in the `text/event-stream` format of HTML's Server-Sent Events.
package enum EventStreamText {
    static let contentType = "text/event-stream"

    /// An event: `id:`, `event:` and one `data:` line. Neither the cursor's base64url nor JSON from `JSONWriter` holds
    /// a line break, so each stays on its one line.
    package static func event(_ name: String, id: ChangeCursor, data: some Collection<UInt8>) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(data.count + 64)
        buffer.writeString("id: \(id.text)\nevent: \(name)\ndata: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
    }

    static func retry(milliseconds: Int) -> ByteBuffer {
        ByteBuffer(string: "retry: \(milliseconds)\n\n")
    }

    /// A comment line, which clients ignore and proxies see as traffic.
    static let heartbeat = ByteBuffer(string: ": heartbeat\n\n")
}
