import Foundation
import Synchronization
import Testing

/// A client syncing while two real server processes on one database write: nothing committed may fall behind a
/// cursor the reader was given, so its copy ends equal to the server's.
@Suite struct ConcurrentSyncTests {
    /// Trips the writers created and may still hold, shared so that the processes write over each other's.
    private final class Ledger: Sendable {
        private let ids = Mutex<[String]>([])
        func add(_ id: String) { ids.withLock { $0.append(id) } }
        func any() -> String? { ids.withLock { $0.randomElement() } }
    }

    @Test(.timeLimit(.minutes(4)), arguments: Backend.shareable)
    func aReaderSyncingWhileTwoProcessesWriteEndsWithTheServersState(backend: Backend) async throws {
        let database = try ServerProcess.database(for: backend)
        defer { ServerProcess.removeFiles(of: database) }
        let servers = [try await ServerProcess(database: database), try await ServerProcess(database: database)]
        let signUp = try await RawHTTP.request(
            "POST", port: servers[0].port, "/users", body: #"{"username":"alice","password":"password1"}"#)
        #expect(signUp.status == 201)
        let issued = try await RawHTTP.request(
            "POST", port: servers[1].port, "/tokens", headers: ["Authorization": basic("alice", "password1")[.authorization]!])
        let auth = ["Authorization": "Bearer \(try #require(Data(issued.body.utf8).jsonObject["token"] as? String))"]

        let ledger = Ledger()
        let written = Atomic<Bool>(false)
        let ports = servers.map(\.port)
        let writing = Task {
            defer { written.store(true, ordering: .releasing) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask { try await Self.write(40, port: ports[writer % 2], auth: auth, ledger: ledger) }
                }
                try await group.waitForAll()
            }
        }
        var replica: [String: String] = [:]
        var cursor: String?
        var syncs = 0
        while !written.load(ordering: .acquiring) {
            cursor = try await Self.sync(&replica, since: cursor, port: servers[syncs % 2].port, auth: auth)
            syncs += 1
        }
        try await writing.value
        cursor = try await Self.sync(&replica, since: cursor, port: servers[0].port, auth: auth)

        let state = try await Self.trips(port: servers[1].port, auth: auth)
        #expect(state.count >= 5)
        #expect(syncs > 2, "the reader synced while the writers wrote")
        #expect(replica.filter { $0.value != "deleted" } == state)
    }

    /// Members write through two processes while a viewer syncs: the owner creates trips and lets the editor and the
    /// viewer in, replaces, deletes, and sometimes removes the viewer; the editor replaces and patches. The viewer's copy
    /// ends equal to what the server lists for the viewer, roles included.
    @Test(.timeLimit(.minutes(4)), arguments: Backend.shareable)
    func aViewerSyncingWhileMembersWriteThroughTwoProcessesEndsWithTheServersState(backend: Backend) async throws {
        let database = try ServerProcess.database(for: backend)
        defer { ServerProcess.removeFiles(of: database) }
        let servers = [try await ServerProcess(database: database), try await ServerProcess(database: database)]
        let ports = servers.map(\.port)
        var auth: [String: [String: String]] = [:]
        for (index, name) in ["alice", "bob", "dave"].enumerated() {
            let port = ports[index % 2]
            #expect(try await RawHTTP.request("POST", port: port, "/users", body: #"{"username":"\#(name)","password":"password1"}"#).status == 201)
            let issued = try await RawHTTP.request(
                "POST", port: port, "/tokens", headers: ["Authorization": basic(name, "password1")[.authorization]!])
            auth[name] = ["Authorization": "Bearer \(try #require(Data(issued.body.utf8).jsonObject["token"] as? String))"]
        }
        let (alice, bob, dave) = (auth["alice"]!, auth["bob"]!, auth["dave"]!)
        let ledger = Ledger()
        let written = Atomic<Bool>(false)
        let writing = Task {
            defer { written.store(true, ordering: .releasing) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await Self.own(30, ports: ports, owner: alice, members: [(bob, "editor"), (dave, "viewer")], ledger: ledger) }
                group.addTask { try await Self.write(30, port: ports[1], auth: bob, ledger: ledger, creates: false) }
                group.addTask { try await Self.write(30, port: ports[0], auth: bob, ledger: ledger, creates: false) }
                try await group.waitForAll()
            }
        }
        var replica: [String: String] = [:]
        var cursor: String?
        var syncs = 0
        while !written.load(ordering: .acquiring) {
            cursor = try await Self.sync(&replica, since: cursor, port: ports[syncs % 2], auth: dave)
            syncs += 1
        }
        try await writing.value
        // The random steps may have left the viewer nothing: three trips more keep the comparison below meaningful.
        for step in 0..<3 {
            let created = try await RawHTTP.request("POST", port: ports[step % 2], "/trips", headers: alice, body: Self.trip("last\(step)"))
            let id = try #require(Data(created.body.utf8).jsonObject["id"] as? String)
            let invited = try await RawHTTP.request("POST", port: ports[step % 2], "/trips/\(id)/invitations", headers: alice, body: #"{"role":"viewer"}"#)
            let url = try #require(Data(invited.body.utf8).jsonObject["url"] as? String)
            #expect(try await RawHTTP.request("POST", port: ports[(step + 1) % 2], url, headers: dave).status == 200)
        }
        _ = try await Self.sync(&replica, since: cursor, port: ports[0], auth: dave)

        let state = try await Self.trips(port: ports[1], auth: dave)
        #expect(state.count >= 3)
        #expect(state.values.allSatisfy { $0.hasSuffix(" viewer") })
        #expect(syncs > 2, "the viewer synced while the members wrote")
        #expect(replica.filter { $0.value != "deleted" } == state)
    }

    /// The owner's `count` steps: create a trip and invite each member to it (each joining through the other
    /// process), replace, delete, or remove the last member from a trip.
    private static func own(
        _ count: Int, ports: [Int], owner: [String: String], members: [([String: String], String)], ledger: Ledger
    ) async throws {
        for step in 0..<count {
            let port = ports[step % 2]
            switch (ledger.any(), Int.random(in: 0..<6)) {
            case (nil, _), (_, 0), (_, 1), (_, 2):
                let created = try await RawHTTP.request("POST", port: port, "/trips", headers: owner, body: Self.trip("o\(step)"))
                #expect(created.status == 201)
                let id = try #require(Data(created.body.utf8).jsonObject["id"] as? String)
                for (member, role) in members {
                    let invited = try await RawHTTP.request(
                        "POST", port: port, "/trips/\(id)/invitations", headers: owner, body: #"{"role":"\#(role)"}"#)
                    let url = try #require(Data(invited.body.utf8).jsonObject["url"] as? String)
                    #expect(try await RawHTTP.request("POST", port: ports[(step + 1) % 2], url, headers: member).status == 200)
                }
                ledger.add(id)
            case (let id?, 3):
                let replaced = try await RawHTTP.request("PUT", port: port, "/trips/\(id)", headers: owner, body: Self.trip("o\(step)"))
                #expect([200, 404].contains(replaced.status))
            case (let id?, 4):
                #expect([204, 404].contains(try await RawHTTP.request("DELETE", port: port, "/trips/\(id)", headers: owner).status))
            case (let id?, _):
                let removed = try await RawHTTP.request("DELETE", port: port, "/trips/\(id)/members/dave", headers: owner)
                #expect([204, 404].contains(removed.status), "\(removed.body)")
            }
        }
    }

    /// `count` random creates, replaces, patches and deletes, each answered as a client would expect.
    /// Without `creates`, an editor's: replaces and patches only, of trips they may no longer reach (404).
    private static func write(_ count: Int, port: Int, auth: [String: String], ledger: Ledger, creates: Bool = true) async throws {
        if !creates { try await waitUntil("the owner has made a trip") { ledger.any() != nil } }
        for step in 0..<count {
            let id = ledger.any()
            let response: RawHTTP.Response
            switch (id, creates ? Int.random(in: 0..<5) : Int.random(in: 2..<4)) {
            case (nil, _), (_, 0), (_, 1):
                response = try await RawHTTP.request("POST", port: port, "/trips", headers: auth, body: Self.trip("n\(step)"))
                #expect(response.status == 201, "\(response.body)")
                if let created = Data(response.body.utf8).jsonObject["id"] as? String { ledger.add(created) }
                continue
            case (let id?, 2):
                response = try await RawHTTP.request("PUT", port: port, "/trips/\(id)", headers: auth, body: Self.trip("r\(step)"))
            case (let id?, 3):
                response = try await RawHTTP.request(
                    "PATCH", port: port, "/trips/\(id)", headers: auth.merging(["Content-Type": "application/merge-patch+json"]) { $1 },
                    body: #"{"name":"p\#(step)"}"#)
                // Three writers on a handful of trips: a patch whose every try meets a newer version is a correct 409.
                if response.status == 409, response.body.contains("kept changing") { continue }
            case (let id?, _):
                response = try await RawHTTP.request("DELETE", port: port, "/trips/\(id)", headers: auth)
            }
            #expect([200, 204, 404].contains(response.status), "\(response.status) \(response.body)")
        }
    }

    private static func trip(_ name: String) -> String {
        #"{"name":"\#(name)","waypoints":[{"name":"Lyon","latitude":45.76,"longitude":4.83}]}"#
    }

    /// Brings `replica` up to date page by page, seven changes at a time; returns the cursor to start from next.
    private static func sync(
        _ replica: inout [String: String], since: String?, port: Int, auth: [String: String]
    ) async throws -> String {
        var cursor = since
        while true {
            let query = "/changes?limit=7" + (cursor.map { "&since=\($0)" } ?? "")
            let response = try await RawHTTP.request("GET", port: port, query, headers: auth)
            try #require(response.status == 200, "\(response.body)")
            let page = Data(response.body.utf8).jsonObject
            for change in try #require(page["changes"] as? [[String: Any]]) {
                let id = try #require(change["id"] as? String)
                replica[id] = (change["trip"] as? [String: Any]).map(Self.summary) ?? "deleted"
            }
            cursor = try #require(page["cursor"] as? String)
            if page["hasMore"] as? Bool == false { return cursor! }
        }
    }

    /// Every trip the server holds, through the plain listing.
    private static func trips(port: Int, auth: [String: String]) async throws -> [String: String] {
        var trips: [String: String] = [:]
        var after = ""
        while true {
            let response = try await RawHTTP.request("GET", port: port, "/trips?limit=100\(after)", headers: auth)
            let page = try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [[String: Any]])
            for trip in page { trips[trip["id"] as? String ?? ""] = summary(trip) }
            guard page.count == 100, let last = page.last?["id"] as? String else { return trips }
            after = "&after=\(last)"
        }
    }

    private static func summary(_ trip: [String: Any]) -> String {
        "\(trip["version"] ?? "") \(trip["name"] ?? "") \(trip["updatedAt"] ?? "") \(trip["role"] ?? "")"
    }
}
