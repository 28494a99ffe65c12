import Foundation
import Testing

/// What a hostile or broken client can do to a real `trip-planner` process at the connection level: hold every
/// descriptor, trickle a body, and send framing the parser or the guard refuses.
@Suite struct HTTPFramingTests {
    private func database() -> String {
        "sqlite:" + FileManager.default.temporaryDirectory.appendingPathComponent("framing-\(UUID()).sqlite").path
    }

    @Test(.timeLimit(.minutes(2)))
    func atTheDescriptorLimitConnectionsPastTheCapAreClosedAndTheServerLives() async throws {
        let server = try await ServerProcess(database: database(), descriptorLimit: 256)
        let connections = try await RawHTTP.offPool {
            try (0..<400).map { _ in try RawHTTP.Connection(port: server.port) }
        }
        defer { connections.forEach { $0.close() } }
        try await waitUntil("the server closes the connections past its descriptors") {
            connections.filter(\.isClosedByServer).count >= 400 - 192
        }
        let refused = connections.filter(\.isClosedByServer).count
        #expect(refused >= 400 - 192 && refused < 400, "192 of 256 descriptors go to connections; the rest are closed")

        let before = try server.cpuSeconds
        try await Task.sleep(for: .seconds(2))
        #expect(try server.cpuSeconds - before < 1, "a full server waits; it does not spin on accept")
        #expect(server.process.isRunning)

        connections.filter { !$0.isClosedByServer }.prefix(20).forEach { $0.close() }
        try await waitUntil("the server answers once connections free descriptors") {
            (try? await RawHTTP.request("GET", port: server.port, "/health").status) == 200
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aBodyTrickledPastTheDeadlineGets408AndTheConnectionCloses() async throws {
        let server = try await ServerProcess(database: database(), arguments: ["--request-deadline", "2"])
        let started = Date()
        let answer = try await RawHTTP.offPool {
            let connection = try RawHTTP.Connection(port: server.port)
            defer { connection.close() }
            try connection.send(Data(
                "POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n".utf8))
            for byte in #"{"username":"slow","password":"#.utf8 {
                guard !connection.isClosedByServer else { break }
                try? connection.send(Data([byte]))
                Thread.sleep(forTimeInterval: 0.2)
            }
            return try RawHTTP.parse(String(decoding: connection.receiveUntilClosed(), as: UTF8.self))
        }
        #expect(answer.status == 408)
        #expect(answer.headers["content-type"] == "application/problem+json")
        #expect(Date().timeIntervalSince(started) < 10)
        server.signal(SIGTERM)
        #expect(try await !server.log().contains(" error "))
    }

    /// Each request is refused with a problem document and the connection is closed; none logs at error level.
    @Test(.timeLimit(.minutes(1)))
    func brokenOrUnsupportedFramingIsRefusedWithAProblemDocument() async throws {
        let server = try await ServerProcess(database: database())
        let post = "POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        let cases: [(String, Int)] = [
            ("GET /health HTTP/1.1\r\n\r\n", 400),
            ("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            (post + "Transfer-Encoding: gzip\r\n\r\nxx", 501),
            (post + "Transfer-Encoding: xchunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 501),
            (post + "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 501),
            (post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400),
            (post + "Transfer-Encoding: chunked\r\n\r\n-2\r\n{}\r\n0\r\n\r\n", 400),
            (post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{}\r\n0\r\n\r\n", 400),
            (post + "Transfer-Encoding: chunked\r\n\r\n1\r\n{}\r\n0\r\n\r\n", 400),
            (post + "Transfer-Encoding: chunked\n\n2\n{}\n0\n\n", 400),
            (post + "Content-Length: 2000000\r\nExpect: 100-continue\r\n\r\n", 413),
            (post + "Content-Length: 2\r\nExpect: something-else\r\n\r\n{}", 417),
            ("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 20_000))\r\n\r\n", 431),
            // Answered once without a length or body, leaving the connection open and what followed unanswered.
            ("CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: x\r\n\r\n", 501),
            ("CONNECT /trips HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", 501),
        ]
        for (message, status) in cases {
            let answer = try await RawHTTP.offPool { try RawHTTP.exchange(Data(message.utf8), port: server.port) }
            #expect(answer.status == status, "\(message.prefix(120))")
            #expect(answer.headers["content-type"] == "application/problem+json", "\(message.prefix(120))")
            #expect(answer.headers["connection"] == "close")
        }
        server.signal(SIGTERM)
        #expect(try await !server.log().contains(" error "))
    }

    @Test(.timeLimit(.minutes(1)))
    func expectContinueGets100BeforeTheBodyAndHTTP10NeedsNoHost() async throws {
        let server = try await ServerProcess(database: database())
        let body = #"{"username":"carol","password":"password1"}"#
        let answer = try await RawHTTP.offPool {
            let connection = try RawHTTP.Connection(port: server.port)
            defer { connection.close() }
            try connection.send(Data(("POST /users HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nExpect: 100-continue\r\n\r\n").utf8))
            var interim = [UInt8](repeating: 0, count: 25)
            let n = recv(connection.fd, &interim, interim.count, 0)
            try connection.send(Data(body.utf8))
            return (String(decoding: interim[0..<max(n, 0)], as: UTF8.self),
                String(decoding: try connection.receiveUntilClosed(), as: UTF8.self))
        }
        #expect(answer.0 == "HTTP/1.1 100 Continue\r\n\r\n")
        #expect(answer.1.hasPrefix("HTTP/1.1 201"))
        let old = try await RawHTTP.offPool { try RawHTTP.exchange(Data("GET /health HTTP/1.0\r\n\r\n".utf8), port: server.port) }
        #expect(old.status == 200)
    }
}
