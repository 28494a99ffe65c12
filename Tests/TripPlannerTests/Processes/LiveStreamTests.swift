import Foundation
import Synchronization
import Testing

/// Live change streams held by one real server process while another one, on the same database, takes the writes:
/// what a phone holding `/changes` open sees.
@Suite struct LiveStreamTests {
    /// Two processes on one database, and an account on it.
    struct Servers {
        let database: String
        let writer: ServerProcess
        let streamer: ServerProcess
        let basic: String
        let bearer: String

        /// Creates a trip of `waypoints` stops, each named by `stop` and its number.
        func create(_ name: String, waypoints: Int = 0, stop: String = "Stop", on server: ServerProcess? = nil) async throws -> String {
            let body = LiveStreamTests.trip(name, waypoints: waypoints, stop: stop)
            let created = try await (server ?? writer).request("POST", "/trips", headers: ["Authorization": bearer], body: body)
            #expect(created.status == 201)
            return try #require(created.body.jsonObject["id"] as? String)
        }

        func stream(headers: [String: String] = [:], query: String = "", receiveBuffer: Int? = nil) async throws -> EventStreamClient {
            let stream = try await EventStreamClient.open(
                port: streamer.port, authorization: bearer, headers: headers, query: query, receiveBuffer: receiveBuffer)
            #expect(stream.status == 200)
            return stream
        }

        func admin(_ arguments: [String]) async throws -> Int32 {
            try await TripPlannerCommand.run(arguments + ["--database", database]).status
        }
    }

    static func withServers(
        _ backend: Backend, arguments: [String] = [], _ body: (Servers) async throws -> Void
    ) async throws {
        let database = try ServerProcess.database(for: backend)
        defer { ServerProcess.removeFiles(of: database) }
        let writer = try await ServerProcess(database: database)
        let streamer = try await ServerProcess(database: database, arguments: arguments)
        let basic = "Basic " + Data("alice:password1".utf8).base64EncodedString()
        #expect(try await writer.request("POST", "/users", body: #"{"username":"alice","password":"password1"}"#).status == 201)
        let issued = try await writer.request("POST", "/tokens", headers: ["Authorization": basic])
        let bearer = "Bearer \(try #require(issued.body.jsonObject["token"] as? String))"
        try await body(Servers(database: database, writer: writer, streamer: streamer, basic: basic, bearer: bearer))
        for server in [writer, streamer] { server.signal(SIGTERM) }
        for server in [writer, streamer] { #expect(await server.exitStatus() == 0) }
    }

    static func trip(_ name: String, waypoints: Int = 0, stop: String = "Stop") -> String {
        let stops = (0..<waypoints).map { #"{"name":"\#(stop) \#($0)","latitude":\#(Double($0 % 80)),"longitude":\#(Double($0 % 170))}"# }
        return #"{"name":"\#(name)","waypoints":[\#(stops.joined(separator: ","))]}"#
    }

    /// The position an event's id holds: the last 8 of its 16 bytes.
    static func position(_ id: String?) throws -> Int64 {
        var base64 = try #require(id).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += "=="
        let bytes = try #require(Data(base64Encoded: base64))
        return bytes.suffix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }

    static func changedTrip(_ event: EventStreamClient.Event) -> [String: Any] {
        Data(event.data.utf8).jsonObject
    }

    @Test(.timeLimit(.minutes(2)), arguments: Backend.shareable)
    func aStreamSendsItsCatchUpThenSyncedThenEachChangeFromTheOtherProcess(backend: Backend) async throws {
        try await Self.withServers(backend) { servers in
            let first = try await servers.create("Lisbon")
            let stream = try await servers.stream()
            defer { stream.close() }
            #expect(stream.headers["content-type"] == "text/event-stream")
            #expect(stream.headers["cache-control"] == "no-store")
            #expect(stream.headers["x-accel-buffering"] == "no")
            let catchUp = try await stream.events { $0.name == "synced" }
            #expect(catchUp.map(\.name) == ["retry", "change", "synced"])
            #expect(Self.changedTrip(catchUp[1])["id"] as? String == first)
            #expect(catchUp[2].id == catchUp[1].id, "synced carries the cursor after the catch-up")

            let second = try await servers.create("Porto")
            let live = try #require(try await stream.next())
            #expect(live.name == "change")
            #expect(Self.changedTrip(live)["id"] as? String == second)
            #expect((Self.changedTrip(live)["trip"] as? [String: Any])?["name"] as? String == "Porto")
            #expect(try await servers.writer.request("DELETE", "/trips/\(first)", headers: ["Authorization": servers.bearer]).status == 204)
            let tombstone = try #require(try await stream.next())
            #expect(Self.changedTrip(tombstone)["deleted"] as? Bool == true)
            #expect(Self.changedTrip(tombstone)["id"] as? String == first)
            let positions = try [catchUp[1], live, tombstone].map { try Self.position($0.id) }
            #expect(positions == positions.sorted() && Set(positions).count == 3)
        }
    }

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func reconnectingWithTheLastEventIDMissesNothingAndRepeatsNothingWhileWritersRun(backend: Backend) async throws {
        try await Self.withServers(backend, arguments: ["--stream-heartbeat", "1"]) { servers in
            let done = Atomic(false)
            let writing = Task {
                defer { done.store(true, ordering: .releasing) }
                var ids: [String] = []
                for step in 0..<60 {
                    try await Task.sleep(for: .milliseconds(25))
                    let server = step % 2 == 0 ? servers.writer : servers.streamer
                    let auth = ["Authorization": servers.bearer]
                    switch (ids.randomElement(), step % 4) {
                    case (let id?, 1):
                        let renamed = try await server.request(
                            "PATCH", "/trips/\(id)", headers: auth.merging(["Content-Type": "application/merge-patch+json"]) { $1 },
                            body: #"{"name":"renamed \#(step)"}"#)
                        #expect(renamed.status == 200)
                    case (let id?, 3):
                        #expect(try await server.request("DELETE", "/trips/\(id)", headers: auth).status == 204)
                        ids.removeAll { $0 == id }
                    default:
                        ids.append(try await servers.create("trip \(step)", on: server))
                    }
                }
            }
            var replica: [String: Int] = [:]
            var lastID: String?
            var connections = 0
            func follow(until stop: (EventStreamClient.Event) -> Bool) async throws {
                let stream = try await servers.stream(headers: lastID.map { ["Last-Event-ID": $0] } ?? [:])
                defer { stream.close() }
                connections += 1
                var acknowledged = try lastID.map(Self.position) ?? 0
                while let event = try await stream.next() {
                    if event.name == "change" {
                        let position = try Self.position(event.id)
                        #expect(position > acknowledged, "an event at or before one already seen came again")
                        acknowledged = position
                        let change = Self.changedTrip(event)
                        let id = try #require(change["id"] as? String)
                        replica[id] = (change["trip"] as? [String: Any])?["version"] as? Int
                        lastID = event.id
                    }
                    if stop(event) { return }
                }
                Issue.record("the stream ended early")
            }
            var received = 0
            while !done.load(ordering: .acquiring) {
                received = 0
                try await follow { event in
                    if event.name == "change" { received += 1 }
                    return received == 3 || (event.name == "comment" && done.load(ordering: .acquiring))
                }
            }
            try await writing.value
            try await follow { $0.name == "synced" }
            let listed = try await servers.writer.request("GET", "/trips?limit=100", headers: ["Authorization": servers.bearer])
            let trips = try #require(try JSONSerialization.jsonObject(with: listed.body) as? [[String: Any]])
            let state = Dictionary(uniqueKeysWithValues: trips.map { ($0["id"] as! String, $0["version"] as! Int) })
            #expect(replica.compactMapValues { $0 } == state)
            #expect(connections > 2, "the reader reconnected while the writers wrote")
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: Backend.shareable)
    func aMalformedStartIs400AndAStaleOneIs410BeforeTheStreamStarts(backend: Backend) async throws {
        try await Self.withServers(backend) { servers in
            _ = try await servers.create("Lisbon")
            let stream = try await servers.stream()
            let synced = try #require(try await stream.events { $0.name == "synced" }.last?.id)
            stream.close()
            var bytes = try #require(Data(base64Encoded: synced.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "=="))
            bytes[15] &+= 9
            let ahead = bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            let cases: [([String: String], String, Int)] = [
                (["Last-Event-ID": "not a cursor"], "", 400),
                (["Last-Event-ID": synced + "A"], "", 400),
                ([:], "?since=%00", 400),
                (["Last-Event-ID": ahead], "", 410),
                ([:], "?since=\(ahead)", 410),
            ]
            for (headers, query, status) in cases {
                let refused = try await EventStreamClient.open(
                    port: servers.streamer.port, authorization: servers.bearer, headers: headers, query: query)
                refused.close()
                #expect(refused.status == status, "\(headers) \(query)")
                #expect(refused.headers["content-type"] == "application/problem+json", "\(headers) \(query)")
            }
            let unauthorized = try await EventStreamClient.open(port: servers.streamer.port, authorization: "Bearer nope")
            unauthorized.close()
            #expect(unauthorized.status == 401)
        }
    }

    /// Each way credentials stop holding, done through the other process: the stream ends within 2 s of the answer.
    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func aStreamEndsWithinTwoSecondsOnceItsCredentialsAreRevokedOnAnyProcess(backend: Backend) async throws {
        try await Self.withServers(backend) { servers in
            let revocations: [(String, (Servers) async throws -> Void)] = [
                ("logout", { servers async throws in
                    #expect(try await servers.writer.request("DELETE", "/tokens/current", headers: ["Authorization": servers.bearer]).status == 204)
                }),
                ("password change", { servers async throws in
                    let changed = try await servers.writer.request(
                        "PUT", "/users/password", headers: ["Authorization": servers.basic],
                        body: #"{"currentPassword":"password1","newPassword":"password2"}"#)
                    #expect(changed.status == 204)
                }),
                ("disabling", { servers async throws in
                    #expect(try await servers.admin(["users", "disable", "alice", "--reason", "testing"]) == 0)
                }),
                ("account deletion", { servers async throws in
                    #expect(try await servers.writer.request("DELETE", "/users", headers: ["Authorization": servers.basic]).status == 204)
                }),
            ]
            var password = "password1"
            for (name, revoke) in revocations {
                let basic = "Basic " + Data("alice:\(password)".utf8).base64EncodedString()
                let issued = try await servers.writer.request("POST", "/tokens", headers: ["Authorization": basic])
                let token = "Bearer \(try #require(issued.body.jsonObject["token"] as? String))"
                let current = Servers(
                    database: servers.database, writer: servers.writer, streamer: servers.streamer, basic: basic, bearer: token)
                var streams: [EventStreamClient] = []
                for authorization in [token, basic] where name != "logout" || authorization == token {
                    let stream = try await EventStreamClient.open(port: servers.streamer.port, authorization: authorization)
                    _ = try await stream.events { $0.name == "synced" }
                    streams.append(stream)
                }
                try await revoke(current)
                let revoked = ContinuousClock.now
                for stream in streams {
                    _ = try await stream.untilEnd(within: .seconds(2) - (ContinuousClock.now - revoked))
                    stream.close()
                }
                let reopened = try await EventStreamClient.open(port: servers.streamer.port, authorization: token)
                reopened.close()
                #expect(reopened.status == (name == "disabling" ? 403 : 401), "\(name): the revoked token opens no stream")
                if name == "password change" { password = "password2" }
                if name == "disabling" { #expect(try await servers.admin(["users", "enable", "alice"]) == 0) }
            }
        }
    }

    /// A member removed through the other process gets the trip's tombstone on their open stream, and nothing of it after.
    @Test(.timeLimit(.minutes(2)), arguments: Backend.shareable)
    func aMemberWhoLosesATripGetsItsTombstoneAndTheStreamGoesOn(backend: Backend) async throws {
        try await Self.withServers(backend) { servers in
            let owner = ["Authorization": servers.bearer]
            let bob = "Basic " + Data("bob:password1".utf8).base64EncodedString()
            #expect(try await servers.writer.request("POST", "/users", body: #"{"username":"bob","password":"password1"}"#).status == 201)
            let shared = try await servers.create("Shared")
            let other = try await servers.create("Other")
            for trip in [shared, other] {
                let invited = try await servers.writer.request("POST", "/trips/\(trip)/invitations", headers: owner, body: #"{"role":"viewer"}"#)
                let url = try #require(invited.body.jsonObject["url"] as? String)
                #expect(try await servers.streamer.request("POST", url, headers: ["Authorization": bob]).status == 200)
            }
            let stream = try await EventStreamClient.open(port: servers.streamer.port, authorization: bob)
            defer { stream.close() }
            #expect(try await stream.events { $0.name == "synced" }.filter { $0.name == "change" }.count == 2)
            #expect(try await servers.writer.request("DELETE", "/trips/\(shared)/members/bob", headers: owner).status == 204)
            let removed = ContinuousClock.now
            let tombstone = try #require(try await stream.next())
            #expect(ContinuousClock.now - removed < .seconds(2))
            #expect(Self.changedTrip(tombstone)["deleted"] as? Bool == true)
            #expect(Self.changedTrip(tombstone)["id"] as? String == shared)
            let patch = ["Authorization": servers.bearer, "Content-Type": "application/merge-patch+json"]
            #expect(try await servers.writer.request("PATCH", "/trips/\(shared)", headers: patch, body: #"{"name":"Private"}"#).status == 200)
            #expect(try await servers.writer.request("PATCH", "/trips/\(other)", headers: patch, body: #"{"name":"Still shared"}"#).status == 200)
            let next = try #require(try await stream.next())
            #expect(Self.changedTrip(next)["id"] as? String == other, "the lost trip's edit never reaches the former member")
        }
    }

    /// Heartbeats keep an idle stream open, and a stream outlives the request deadline, which counts only the request.
    @Test(.timeLimit(.minutes(2)), arguments: Backend.shareable)
    func anIdleStreamGetsHeartbeats(backend: Backend) async throws {
        try await Self.withServers(backend, arguments: ["--stream-heartbeat", "1", "--request-deadline", "1"]) { servers in
            let stream = try await servers.stream()
            defer { stream.close() }
            _ = try await stream.events { $0.name == "synced" }
            let started = ContinuousClock.now
            let beats = [try await stream.next(), try await stream.next()]
            #expect(beats.map { $0?.name } == ["comment", "comment"])
            #expect(ContinuousClock.now - started >= .seconds(1), "a heartbeat waits for the stream to be idle")
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: Backend.shareable)
    func theEleventhStreamOfAnAccountClosesItsOldest(backend: Backend) async throws {
        try await Self.withServers(backend) { servers in
            var streams: [EventStreamClient] = []
            for _ in 0..<11 {
                let stream = try await servers.stream()
                _ = try await stream.events { $0.name == "synced" }
                streams.append(stream)
            }
            defer { for stream in streams { stream.close() } }
            #expect(try await streams[0].untilEnd(within: .seconds(5)).isEmpty, "the oldest stream ends")
            let id = try await servers.create("After")
            for stream in streams.dropFirst() {
                let event = try #require(try await stream.next())
                #expect(Self.changedTrip(event)["id"] as? String == id, "the ten newest streams stay open")
            }
        }
    }

    /// A reader that stops reading while large changes keep coming is closed before the server holds more than 1 MiB
    /// of events for it, and then resumes from the last event it took, missing nothing.
    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func aReaderTooSlowIsClosedAndResumesFromItsLastEvent(backend: Backend) async throws {
        try await Self.withServers(backend, arguments: ["--log-level", "info"]) { servers in
            let stream = try await servers.stream(receiveBuffer: 4096)
            let catchUp = try await stream.events { $0.name == "synced" }
            var created: Set<String> = []
            // Over 10 MB in all, more than the kernel's socket buffers on both sides take in besides the server's 1 MiB.
            let stop = String(repeating: "s", count: 190)
            for round in 0..<40 { created.insert(try await servers.create("Long \(round)", waypoints: 1000, stop: stop)) }
            let taken = catchUp + (try await stream.untilEnd(within: .seconds(60)))
            stream.close()
            let last = try #require(taken.last { $0.name == "change" || $0.name == "synced" }?.id)
            let resumed = try await servers.stream(headers: ["Last-Event-ID": last])
            defer { resumed.close() }
            let rest = try await resumed.events { $0.name == "synced" }
            let seen = (taken + rest).filter { $0.name == "change" }.compactMap { Self.changedTrip($0)["id"] as? String }
            #expect(Set(seen) == created && seen.count == created.count, "each trip once, over the two connections")
            #expect(taken.filter { $0.name == "change" }.count < created.count, "the reader was closed before it took every change")
            servers.streamer.signal(SIGTERM)
            #expect(try await servers.streamer.log().contains("fell too far behind"))
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: Backend.shareable)
    func sigtermEndsStreamsOnceTheShutdownDelayHasPassed(backend: Backend) async throws {
        try await Self.withServers(backend, arguments: ["--shutdown-delay", "2"]) { servers in
            let stream = try await servers.stream()
            defer { stream.close() }
            _ = try await stream.events { $0.name == "synced" }
            servers.streamer.signal(SIGTERM)
            let signalled = ContinuousClock.now
            try await waitUntil("/ready answers 503") { (try? await servers.streamer.request("GET", "/ready").status) == 503 }
            let id = try await servers.create("During the delay")
            let event = try #require(try await stream.next())
            #expect(Self.changedTrip(event)["id"] as? String == id, "streams go on during the shutdown delay")
            #expect(try await stream.untilEnd(within: .seconds(10)).allSatisfy { $0.name == "comment" })
            #expect(ContinuousClock.now - signalled >= .seconds(2))
            #expect(await servers.streamer.exitStatus() == 0)
        }
    }

    /// A reader that goes away is noticed at once, not at the next heartbeat: its stream no longer holds a connection
    /// or a place among the account's streams.
    @Test(.timeLimit(.minutes(2)), arguments: Backend.shareable)
    func aStreamEndsAsSoonAsItsReaderCloses(backend: Backend) async throws {
        let metricsPort = try ServerProcess.freePort()
        try await Self.withServers(backend, arguments: ["--metrics-port", String(metricsPort)]) { servers in
            let stream = try await servers.stream()
            _ = try await stream.events { $0.name == "synced" }
            #expect(try await Self.openStreams(metricsPort) == 1)
            stream.close()
            try await waitUntil("the server let the stream go, well before the next heartbeat 15 s on", within: .seconds(5)) {
                try await Self.openStreams(metricsPort) == 0
            }
        }
    }

    /// Streams whose readers take nothing cannot hold the process's memory: one is let go once it has taken nothing for
    /// two heartbeats while events waited, and all of them together hold at most `--stream-memory`.
    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func unreadStreamsAreLetGoAfterTwoHeartbeatsOrPastTheProcesssBudget(backend: Backend) async throws {
        let metricsPort = try ServerProcess.freePort()
        let budgetMetricsPort = try ServerProcess.freePort()
        try await Self.withServers(backend, arguments: ["--stream-heartbeat", "1", "--metrics-port", String(metricsPort)]) { servers in
            // Over 10 MB of catch-up, more than the kernel's socket buffers on both sides take in.
            let stop = String(repeating: "s", count: 190)
            for round in 0..<40 { _ = try await servers.create("Long \(round)", waypoints: 1000, stop: stop) }
            let budgeted = try await ServerProcess(
                database: servers.database,
                arguments: ["--stream-memory", "2", "--stream-heartbeat", "3600", "--metrics-port", String(budgetMetricsPort)])
            func openUnread(on server: ServerProcess) async throws -> EventStreamClient {
                let unread = try await EventStreamClient.open(port: server.port, authorization: servers.bearer, receiveBuffer: 4096)
                #expect(unread.status == 200)
                return unread
            }
            let stalled = try await openUnread(on: servers.streamer)
            defer { stalled.close() }
            try await waitUntil("the stream was opened", within: .seconds(5)) { try await Self.openStreams(metricsPort) == 1 }
            // The kernel's socket buffers fill first, a page at a time: slow on SecantusDB under load.
            try await waitUntil("the unread stream was let go after two heartbeats", within: .seconds(60)) {
                try await Self.openStreams(metricsPort) == 0
            }
            // Once the kernel's buffers are full, each unread stream holds about 1 MiB of its catch-up, and the third
            // passes the 2 MiB of all; with an hour between heartbeats, nothing else lets one go.
            var unread: [EventStreamClient] = []
            for _ in 0..<3 { unread.append(try await openUnread(on: budgeted)) }
            try await waitUntil("a stream past the budget was let go", within: .seconds(60)) {
                try await Self.openStreams(budgetMetricsPort).map { $0 < 3 } ?? false
            }
            for stream in unread { stream.close() }
            try await waitUntil("the unread streams were let go", within: .seconds(5)) { try await Self.openStreams(budgetMetricsPort) == 0 }
            let read = try await EventStreamClient.open(port: budgeted.port, authorization: servers.bearer)
            defer { read.close() }
            let catchUp = try await read.events { $0.name == "synced" }
            #expect(catchUp.filter { $0.name == "change" }.count == 40, "a reader that keeps up is not held to the budget")
            budgeted.signal(SIGTERM)
            #expect(await budgeted.exitStatus() == 0)
        }
    }

    static func openStreams(_ metricsPort: Int) async throws -> Double? {
        let scrape = try await RawHTTP.request("GET", port: metricsPort, "/metrics")
        let sample = scrape.body.split(separator: "\n").first { $0.hasPrefix("live_streams_open ") }
        return sample.flatMap { Double($0.split(separator: " ")[1]) }
    }
}
