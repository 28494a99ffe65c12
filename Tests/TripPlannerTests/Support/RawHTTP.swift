import Foundation
import Synchronization

/// One HTTP/1.1 request over a plain socket, from a chosen loopback source address, so that tests can
/// stand for several clients and read a 401 that offers a Basic challenge, which FoundationNetworking
/// never completes (swift-corelibs-foundation #5456). The blocking calls run on a Dispatch thread.
enum RawHTTP {
    struct Response {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    static func request(
        _ method: String, port: Int, _ path: String, headers: [String: String] = [:], body: String? = nil,
        from source: String = "127.0.0.1"
    ) async throws -> Response {
        let message = message(method, port: port, path, headers: headers, body: body)
        return try await offPool { try exchange(message, port: port, from: source) }
    }

    /// A request as `request` sends it: `Connection: close`, and a JSON body unless `headers` say otherwise.
    private static func message(_ method: String, port: Int, _ path: String, headers: [String: String], body: String?) -> Data {
        var lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Connection: close"]
        lines += headers.map { "\($0.key): \($0.value)" }
        if let body {
            if !headers.keys.contains(where: { $0.lowercased() == "content-type" }) { lines.append("Content-Type: application/json") }
            lines.append("Content-Length: \(body.utf8.count)")
        }
        return Data((lines.joined(separator: "\r\n") + "\r\n\r\n" + (body ?? "")).utf8)
    }

    /// Like `request`, but reads only the response's head, then closes: what a test takes of a response that may be a
    /// stream without end.
    static func head(
        _ method: String, port: Int, _ path: String, headers: [String: String] = [:], body: String? = nil,
        from source: String = "127.0.0.1"
    ) async throws -> Response {
        let message = message(method, port: port, path, headers: headers, body: body)
        return try await offPool {
            let connection = try Connection(port: port, from: source)
            defer { connection.close() }
            try connection.send(message)
            var received: [UInt8] = []
            while true {
                if let end = received.firstRange(of: Array("\r\n\r\n".utf8)) {
                    let head = String(decoding: received[..<end.upperBound], as: UTF8.self)
                    // An interim answer such as 100 Continue comes before the final one.
                    guard head.hasPrefix("HTTP/1.1 1") else { return try parse(head) }
                    received.removeFirst(end.upperBound)
                    continue
                }
                guard let more = try connection.receiveSome() else { return try parse(String(decoding: received, as: UTF8.self)) }
                received += more
            }
        }
    }

    /// Runs blocking socket calls on a Dispatch thread, never on the cooperative pool.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Sends `message` as it is, reads until the server closes, and parses the answer.
    static func exchange(_ message: Data, port: Int, from source: String = "127.0.0.1") throws -> Response {
        let connection = try Connection(port: port, from: source)
        defer { connection.close() }
        try connection.send(message)
        return try parse(String(decoding: connection.receiveUntilClosed(), as: UTF8.self))
    }

    /// One client socket, blocking, with a 30 s receive timeout.
    final class Connection: Sendable {
        let fd: Int32
        private let closed = Atomic(false)

        /// With `receiveBuffer`, the kernel keeps at most about that many unread bytes for this socket.
        init(port: Int, from source: String = "127.0.0.1", receiveBuffer: Int? = nil) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw failure("socket") }
            var timeout = timeval(tv_sec: 30, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if var bytes = receiveBuffer.map(Int32.init) {
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, socklen_t(MemoryLayout<Int32>.size))
            }
            guard try call(fd, address(source, port: 0), bind), try call(fd, address("127.0.0.1", port: port), connect) else {
                Foundation.close(fd)
                throw failure("bind or connect")
            }
        }

        func send(_ message: Data) throws {
            try message.withUnsafeBytes { bytes in
                var sent = 0
                while sent < bytes.count {
                    let n = Foundation.send(fd, bytes.baseAddress! + sent, bytes.count - sent, noSignal)
                    guard n > 0 else { throw failure("send") }
                    sent += n
                }
            }
        }

        func setReceiveTimeout(_ timeout: Duration) {
            let (seconds, attoseconds) = timeout.components
            var value = timeval(tv_sec: Int(seconds), tv_usec: Int(max(attoseconds / 1_000_000_000_000, 1_000)))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        }

        /// What the next read brings; nil at end of file or a reset. Throws when nothing comes within the timeout.
        func receiveSome() throws -> [UInt8]? {
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n < 0, errno == EINTR { continue }
                if n < 0, errno == ECONNRESET { return nil }
                guard n >= 0 else { throw failure("recv") }
                return n == 0 ? nil : Array(buffer[0..<n])
            }
        }

        func receiveUntilClosed() throws -> Data {
            var received = Data()
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n < 0, errno == ECONNRESET, !received.isEmpty { break }
                guard n >= 0 else { throw failure("recv") }
                if n == 0 { break }
                received.append(contentsOf: buffer[0..<n])
            }
            return received
        }

        /// Whether the server has closed this connection: a read that does not wait finds end of file or a reset.
        var isClosedByServer: Bool {
            var byte: UInt8 = 0
            let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT | MSG_PEEK))
            return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        }

        /// Closes the socket once; later calls do nothing, so that a number the system has since handed to
        /// another socket of this process is never closed by mistake.
        func close() {
            guard !closed.exchange(true, ordering: .relaxed) else { return }
            Foundation.close(fd)
        }
    }

    /// The final response, after any interim ones such as `100 Continue`.
    static func parse(_ text: String) throws -> Response {
        guard let split = text.range(of: "\r\n\r\n") else { throw failure("no header end in \(text.prefix(200))") }
        let head = text[..<split.lowerBound].components(separatedBy: "\r\n")
        guard let statusLine = head.first, statusLine.hasPrefix("HTTP/1."),
            let status = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else {
            throw failure("no status line in \(text.prefix(200))")
        }
        if (100..<200).contains(status) { return try parse(String(text[split.upperBound...])) }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = String(text[split.upperBound...])
        if headers["transfer-encoding"] == "chunked" { body = unchunked(body) }
        return Response(status: status, headers: headers, body: body)
    }

    private static func unchunked(_ text: String) -> String {
        var rest = Substring(text)
        var body = ""
        while let line = rest.range(of: "\r\n"), let size = Int(rest[..<line.lowerBound], radix: 16), size > 0 {
            let start = line.upperBound
            let end = rest.utf8.index(start, offsetBy: size)
            body += rest[start..<end]
            rest = rest[end...].dropFirst(2)
        }
        return body
    }

    fileprivate static func address(_ host: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }

    fileprivate static func call(
        _ fd: Int32, _ address: sockaddr_in, _ function: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) throws -> Bool {
        var address = address
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { function(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    fileprivate static func failure(_ what: String) -> any Error {
        CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "RawHTTP: \(what) failed (errno \(errno))"])
    }
}

#if os(Linux)
private let noSignal = Int32(MSG_NOSIGNAL)
#else
private let noSignal: Int32 = 0
#endif
