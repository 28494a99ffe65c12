@testable import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Every response names its request, and every request leaves one access-log line that holds no secret.
@Suite struct RequestIDTests {
    static let requestID = HTTPField.Name("X-Request-Id")!

    /// Fresh ids are 16 base64url characters, each position drawn from the whole alphabet: all 96 bits are random.
    @Test func freshIDsUseAllNinetySixBits() {
        let ids = (0..<2000).map { _ in RequestIDMiddleware.fresh() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.utf8.count == 16 && RequestIDMiddleware.isSane($0) })
        for position in 0..<16 {
            let seen = Set(ids.map { Array($0.utf8)[position] })
            #expect(seen.count > 50, "position \(position) took \(seen.count) values")
        }
    }

    @Test
    func aSaneClientIDIsEchoedAndAnyOtherIsReplaced() async throws {
        try await withApp(.sqliteMemory) { client in
            let named = try await client.execute(uri: "/trips", method: .get, headers: [Self.requestID: "client-42.a_b"])
            #expect(named.status == .unauthorized)
            #expect(named.headers[Self.requestID] == "client-42.a_b")
            #expect(named.object["requestId"] as? String == "client-42.a_b")

            let unsafe = try await client.execute(uri: "/trips", method: .get, headers: [Self.requestID: "two words"])
            let fresh = try #require(unsafe.headers[Self.requestID])
            #expect(fresh != "two words" && fresh.count == 16)
            #expect(unsafe.object["requestId"] as? String == fresh)
            let long = try await client.execute(uri: "/health", method: .get, headers: [Self.requestID: String(repeating: "a", count: 129)])
            #expect(long.headers[Self.requestID]?.count == 16)

            let first = try await client.execute(uri: "/health", method: .get)
            let second = try await client.execute(uri: "/health", method: .get)
            #expect(first.status == .ok)
            #expect(first.headers[Self.requestID] != nil && first.headers[Self.requestID] != second.headers[Self.requestID])
        }
    }

    @Test
    func eachRequestLogsOneLineWithoutCredentialsAndProbesOnlyAtDebug() async throws {
        let lines = CapturedLog()
        try await Backend.sqliteMemory.withStore { store in
            var logger = Logger(label: "test") { _ in lines }
            logger.logLevel = .debug
            let app = buildApplication(.testing, store: store, logger: logger)
            try await app.test(.router) { client in
                let signUp = try await client.executeJSON(
                    uri: "/users", method: .post, headers: [Self.requestID: "signup-1"],
                    body: json(#"{"username":"alice","password":"hunter2-secret"}"#))
                #expect(signUp.status == .created)
                var headers = basic("alice", "hunter2-secret")
                headers[Self.requestID] = "list-1"
                let list = try await client.execute(uri: "/trips?limit=5", method: .get, headers: headers)
                #expect(list.status == .ok)
                _ = try await client.execute(uri: "/health", method: .get, headers: [Self.requestID: "probe-1"])
            }
        }
        let access = lines.entries.filter { $0.metadata["status"] != nil }
        #expect(access.map(\.message) == ["POST /users 201", "GET /trips 200", "GET /health 200"])
        #expect(access.map(\.level) == [.info, .info, .debug])
        let list = try #require(access.dropFirst().first?.metadata)
        #expect(list["request_id"] == "list-1")
        #expect(list["path"] == "/trips" && list["method"] == "GET" && list["client"] != nil)
        #expect(list["bytes"] == "2", "an empty list, []")
        #expect(list["duration_ms"].flatMap { Double($0.description) } != nil)
        let everything = lines.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(!everything.contains("hunter2"))
        #expect(!everything.contains("Basic "))
    }

    /// Share and invitation links open a trip to whoever holds them, so their tokens never reach the log, however the path
    /// spells the link (extra slashes, another case, an encoded slash: a stranger found `//join/…` logged whole).
    @Test
    func linkTokensAreNeverLogged() async throws {
        let lines = CapturedLog()
        let tokens = try await Backend.sqliteMemory.withStore { store in
            let logger = Logger(label: "test") { _ in lines }
            let app = buildApplication(.testing, store: store, logger: logger)
            return try await app.test(.router) { client in
                var tokens: [String] = []
                let alice = try await client.signUp("alice")
                let bob = try await client.signUp("bob")
                let trip = try #require(try await client.createTrip(alice)["id"] as? String)
                let share = try await client.executeJSON(uri: "/trips/\(trip)/shares", method: .post, headers: alice, body: json("{}"))
                let invitation = try await client.executeJSON(
                    uri: "/trips/\(trip)/invitations", method: .post, headers: alice, body: json(#"{"role":"viewer"}"#))
                for (url, method, auth) in [(share.object["url"], HTTPRequest.Method.get, HTTPFields()), (invitation.object["url"], .post, bob)] {
                    let url = try #require(url as? String)
                    tokens.append(String(try #require(url.split(separator: "/").last)))
                    #expect(try await client.execute(uri: url, method: method, headers: auth).status == .ok)
                    for spelling in ["/" + url, "///" + url, url.uppercased(), url.replacingOccurrences(of: "/s/", with: "/s%2F")
                        .replacingOccurrences(of: "/join/", with: "/join%2f")] {
                        _ = try await client.execute(uri: spelling, method: method, headers: auth)
                    }
                }
                return tokens
            }
        }
        let access = lines.entries.filter { $0.metadata["status"] != nil }.map(\.message)
        #expect(access.contains("GET /s/{token} 200") && access.contains("POST /join/{token} 200"))
        let everything = lines.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(tokens.count == 2 && tokens.allSatisfy { !everything.contains($0) && !everything.contains($0.uppercased()) })
    }
}

/// A log handler that keeps every line, for tests that read what was logged.
final class CapturedLog: LogHandler, Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: Logger.Metadata
    }

    private let stored = Mutex<[Entry]>([])
    private let state = Mutex<(level: Logger.Level, metadata: Logger.Metadata)>((.trace, [:]))

    var entries: [Entry] { stored.withLock { $0 } }

    var logLevel: Logger.Level {
        get { state.withLock { $0.level } }
        set { state.withLock { $0.level = newValue } }
    }

    var metadata: Logger.Metadata {
        get { state.withLock { $0.metadata } }
        set { state.withLock { $0.metadata = newValue } }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { state.withLock { $0.metadata[key] = newValue } }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        stored.withLock { $0.append(Entry(level: event.level, message: event.message.description, metadata: merged)) }
    }
}
