@testable import API
import Foundation
import Testing

/// Real `trip-planner` processes: two on one database, and one behind a real nginx. Requests go over
/// plain sockets (`RawHTTP`), since the answers include 401s with a Basic challenge.
@Suite struct RealProcessTests {
    @Test(.timeLimit(.minutes(2)), arguments: Backend.shareable)
    func logoutPasswordChangeAndDeletionOnOneProcessAreRefusedByTheOthersNextRequest(backend: Backend) async throws {
        let database = try ServerProcess.database(for: backend)
        defer { ServerProcess.removeFiles(of: database) }
        let a = try await ServerProcess(database: database)
        let b = try await ServerProcess(database: database)
        let alice = ["Authorization": basic("alice", "password1")[.authorization]!]
        #expect(try await RawHTTP.request("POST", port: a.port, "/users", body: #"{"username":"alice","password":"password1"}"#).status == 201)
        func token(_ server: ServerProcess, _ auth: [String: String]) async throws -> [String: String] {
            let issued = try await RawHTTP.request("POST", port: server.port, "/tokens", headers: auth)
            let token = try #require(Data(issued.body.utf8).jsonObject["token"] as? String)
            return ["Authorization": "Bearer \(token)"]
        }

        let loggedOut = try await token(a, alice)
        #expect(try await RawHTTP.request("GET", port: b.port, "/trips", headers: loggedOut).status == 200)
        #expect(try await RawHTTP.request("DELETE", port: a.port, "/tokens/current", headers: loggedOut).status == 204)
        #expect(try await RawHTTP.request("GET", port: b.port, "/trips", headers: loggedOut).status == 401)

        let kept = try await token(b, alice)
        #expect(try await RawHTTP.request("GET", port: b.port, "/trips", headers: alice).status == 200)
        let change = try await RawHTTP.request(
            "PUT", port: a.port, "/users/password", headers: alice, body: #"{"currentPassword":"password1","newPassword":"password2"}"#)
        #expect(change.status == 204)
        #expect(try await RawHTTP.request("GET", port: b.port, "/trips", headers: alice).status == 401)
        #expect(try await RawHTTP.request("GET", port: b.port, "/trips", headers: kept).status == 401)
        let renewed = ["Authorization": basic("alice", "password2")[.authorization]!]
        #expect(try await RawHTTP.request("GET", port: b.port, "/trips", headers: renewed).status == 200)

        #expect(try await RawHTTP.request("DELETE", port: a.port, "/users", headers: renewed).status == 204)
        #expect(try await RawHTTP.request("GET", port: b.port, "/trips", headers: renewed).status == 401)
        a.signal(SIGTERM)
        b.signal(SIGTERM)
        #expect(await a.exitStatus() == 0)
        #expect(await b.exitStatus() == 0)
    }

    @Test(.timeLimit(.minutes(2)), arguments: Backend.shareable)
    func tenFailuresSplitAcrossTwoProcessesLockThePair(backend: Backend) async throws {
        let database = try ServerProcess.database(for: backend)
        defer { ServerProcess.removeFiles(of: database) }
        let a = try await ServerProcess(database: database)
        let b = try await ServerProcess(database: database)
        #expect(try await RawHTTP.request("POST", port: a.port, "/users", body: #"{"username":"alice","password":"password1"}"#).status == 201)
        for i in 0..<Limits.failedLoginsPerClient {
            let wrong = ["Authorization": basic("alice", "wrong-\(i)-pw")[.authorization]!]
            #expect(try await RawHTTP.request("GET", port: (i.isMultiple(of: 2) ? a : b).port, "/users", headers: wrong).status == 401)
        }
        let right = ["Authorization": basic("alice", "password1")[.authorization]!]
        for server in [a, b] {
            let refused = try await RawHTTP.request("GET", port: server.port, "/users", headers: right)
            #expect(refused.status == 429)
            #expect(refused.headers["retry-after"].flatMap(Int.init) != nil)
        }
    }

    /// The repository's nginx configuration, terminating TLS, in front of a server that trusts it: clients at different
    /// addresses are throttled apart, and `X-Forwarded-For` sent straight to the server changes nothing.
    @Test(.timeLimit(.minutes(2)))
    func behindNginxEachClientIsCountedAtItsOwnAddress() async throws {
        let database = try ServerProcess.database(for: .sqliteFile)
        defer { ServerProcess.removeFiles(of: database) }
        let server = try await ServerProcess(database: database, arguments: ["--trusted-proxies", "127.0.0.1"])
        let proxy = try await Nginx(upstreamPort: server.port)
        defer { proxy.stop() }
        #expect(try await proxy.request("POST", "/users", body: #"{"username":"alice","password":"password1"}"#).status == 201)
        #expect(try await proxy.redirect("/users") == "https://127.0.0.1/users", "plain HTTP is sent to HTTPS")
        /// Each check of the right password spells the name anew, so that no earlier success is cached.
        func login(_ password: String, port: Int, from source: String, forwardedFor: String? = nil, as name: String = "alice") async throws -> Int {
            var headers = ["Authorization": basic(name, password)[.authorization]!]
            headers["X-Forwarded-For"] = forwardedFor
            if port == proxy.port { return try await proxy.request("GET", "/users", headers: headers, from: source).status }
            return try await RawHTTP.request("GET", port: port, "/users", headers: headers, from: source).status
        }
        for i in 0..<Limits.failedLoginsPerClient {
            #expect(try await login("wrong-\(i)-pw", port: proxy.port, from: "127.0.0.2") == 401)
        }
        #expect(try await login("password1", port: proxy.port, from: "127.0.0.2") == 429)
        #expect(try await login("password1", port: proxy.port, from: "127.0.0.3", forwardedFor: "127.0.0.2") == 200)

        for i in 0..<Limits.failedLoginsPerClient {
            #expect(try await login("wrong-\(i)-pw", port: server.port, from: "127.0.0.4", forwardedFor: "198.51.100.\(i)") == 401)
        }
        #expect(try await login("password1", port: server.port, from: "127.0.0.4", forwardedFor: "198.51.100.99", as: "Alice") == 429)
        #expect(try await login("password1", port: server.port, from: "127.0.0.5", forwardedFor: "127.0.0.4", as: "ALICE") == 200)
    }

    /// A live change stream held through the repository's nginx file: its events pass as they are written, not once a
    /// buffer fills, and its heartbeats keep it open past nginx's read timeout, shortened here as the heartbeat is.
    @Test(.timeLimit(.minutes(2)))
    func behindNginxALiveStreamPassesEachEventAsItIsWrittenAndHeartbeatsKeepItOpen() async throws {
        let database = try ServerProcess.database(for: .sqliteFile)
        defer { ServerProcess.removeFiles(of: database) }
        let server = try await ServerProcess(
            database: database, arguments: ["--trusted-proxies", "127.0.0.1", "--stream-heartbeat", "1"])
        let proxy = try await Nginx(upstreamPort: server.port, replacing: ["proxy_read_timeout 60s;": "proxy_read_timeout 3s;"])
        defer { proxy.stop() }
        let alice = ["Authorization": basic("alice", "password1")[.authorization]!]
        #expect(try await proxy.request("POST", "/users", body: #"{"username":"alice","password":"password1"}"#).status == 201)
        let stream = try proxy.stream("/changes", headers: alice.merging(["Accept": "text/event-stream"]) { $1 })
        defer { stream.close() }
        try await waitUntil("the stream is synced through nginx", within: .seconds(10)) { stream.text.contains("event: synced") }
        #expect(stream.text.lowercased().contains("content-type: text/event-stream"))
        #expect(!stream.text.lowercased().contains("x-accel-buffering"), "nginx keeps its own header to itself")

        let created = try await RawHTTP.request(
            "POST", port: server.port, "/trips", headers: alice, body: #"{"name":"Alps","waypoints":[]}"#)
        let id = try #require(Data(created.body.utf8).jsonObject["id"] as? String)
        try await waitUntil("the trip's change arrives through nginx", within: .seconds(2)) {
            stream.text.contains(#"{"id":"\#(id)","trip":"#)
        }

        let heartbeats = stream.count(of: ": heartbeat")
        try await Task.sleep(for: .seconds(5))
        #expect(stream.isOpen, "a stream whose heartbeats flow outlives nginx's 3 s read timeout")
        #expect(stream.count(of: ": heartbeat") >= heartbeats + 3)
    }
}
