import Foundation
import Testing

/// What a real process's logs keep when requests come fast, when it stops, and when their destination stops reading.
@Suite struct LogOutputProcessTests {
    /// `count` requests, `width` at a time, each made by `request(i)`; returns their statuses.
    static func requests(_ count: Int, width: Int = 4, _ request: @escaping @Sendable (Int) async throws -> Int) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            var statuses: [Int] = []
            for i in 0..<count {
                if i >= width, let status = try await group.next() { statuses.append(status) }
                group.addTask { try await request(i) }
            }
            for try await status in group { statuses.append(status) }
            return statuses
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func everyAccessLineIsWholeAndWrittenByTheEndOfTheDrain() async throws {
        let database = try ServerProcess.database(for: .sqliteFile)
        defer { ServerProcess.removeFiles(of: database) }
        let server = try await ServerProcess(database: database, arguments: ["--log-format", "json", "--log-level", "info"])
        let port = server.port
        let statuses = try await Self.requests(150) { i in
            try await RawHTTP.request("GET", port: port, "/trips", headers: ["X-Request-Id": "drain-\(i)"]).status
        }
        #expect(statuses.count == 150 && statuses.allSatisfy { $0 == 401 })
        server.signal(SIGTERM)
        #expect(await server.exitStatus() == 0)
        let lines = try await server.log().split(separator: "\n")
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == lines.count, "no line is torn or joined to another")
        let ids = objects.compactMap { ($0["metadata"] as? [String: Any])?["request_id"] as? String }.filter { $0.hasPrefix("drain-") }
        #expect(ids.count == 150)
        #expect(Set((0..<150).map { "drain-\($0)" }).subtracting(ids).isEmpty)
    }

    /// 200 access lines of 24 KB each (the path twice) pass what the server holds in memory for a destination that
    /// reads nothing.
    @Test(.timeLimit(.minutes(2)))
    func aDestinationThatReadsNothingStallsNoRequestAndTheLinesDroppedAreCounted() async throws {
        let database = try ServerProcess.database(for: .sqliteFile)
        defer { ServerProcess.removeFiles(of: database) }
        let metricsPort = try ServerProcess.freePort()
        let server = try await ServerProcess(
            database: database, arguments: ["--log-level", "info", "--metrics-port", String(metricsPort)], holdingLog: true)
        let port = server.port
        let long = "/" + String(repeating: "x", count: 12_000)
        let statuses = try await Self.requests(200) { _ in try await RawHTTP.request("GET", port: port, long).status }
        #expect(statuses.count == 200 && statuses.allSatisfy { $0 == 404 })
        let scrape = try await RawHTTP.request("GET", port: metricsPort, "/metrics").body
        let counted = scrape.split(separator: "\n").first { $0.hasPrefix("log_lines_dropped_total ") }
            .flatMap { Double($0.split(separator: " ")[1]) }
        let dropped = try #require(counted)
        #expect(dropped > 0)

        server.releaseLog()
        server.signal(SIGTERM)
        #expect(await server.exitStatus() == 0)
        let log = try await server.log()
        let reported = log.split(separator: "\n").compactMap { line -> Int? in
            guard line.hasSuffix("log lines were dropped: their destination accepted nothing for a while") else { return nil }
            return Int(line.prefix { $0 != " " })
        }
        // A line is logged once its response is written, so the last may be dropped after the scrape.
        #expect(reported.reduce(0, +) >= Int(dropped))
        let written = log.split(separator: "\n").filter { $0.contains(" 404") && $0.contains(long) }.count
        #expect(written + reported.reduce(0, +) == 200, "each access line written or counted")
    }
}
