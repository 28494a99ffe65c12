import API
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import StoreSQLite
import Testing
import TripCore

/// Faults: a locked or missing database, contention, crashes and shutdown. Nothing acknowledged is lost.
@Suite struct FaultTests {
    @Test func aLockedSQLiteDatabaseIs503NotA500() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("locked-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteTripStore(path: path, busyTimeout: 0.2)
        try await store.prepare()
        let app = buildApplication(ServerSettings(port: 0, bcryptCost: 4), store: store, logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let auth = try await client.signUp("alice")
            let lock = try await ExclusiveLock.hold(path)
            let refused = try await client.executeJSON(uri: "/trips", method: .post, headers: auth, body: json(#"{"name":"x"}"#))
            expectProblem(refused, .serviceUnavailable)
            #expect(refused.headers[.retryAfter] != nil)
            #expect(!String(buffer: refused.body).contains("locked"))
            await lock.release()
            _ = try await client.createTrip(auth)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.count == 1)
        }
    }

    @Test func aTripRowAnotherProgramMangledIsA500AndOthersStillRead() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mangled-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteTripStore(path: path)
        try await store.prepare()
        let app = buildApplication(ServerSettings(port: 0, bcryptCost: 4), store: store, logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let auth = try await client.signUp("alice")
            let mangled = try #require(try await client.createTrip(auth)["id"] as? String)
            let intact = try #require(try await client.createTrip(auth)["id"] as? String)
            try await DatabaseQueue(path: path).write { db in
                try db.execute(sql: #"UPDATE trip SET waypoints = '{"not":"waypoints"}' WHERE id = ?"#, arguments: [mangled])
            }
            let failed = try await client.execute(uri: "/trips/\(mangled)", method: .get, headers: auth)
            expectProblem(failed, .internalServerError)
            #expect(!String(buffer: failed.body).contains("waypoints"))
            #expect(try await client.execute(uri: "/trips/\(intact)", method: .get, headers: auth).status == .ok)
        }
    }

    /// A record this code cannot read stops an export with an error naming it; it is never left out.
    @Test func anExportMeetingAnAccountAnotherProgramMangledFailsNamingIt() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mangled-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteTripStore(path: path)
        try await store.prepare()
        let alice = try await store.createUser(username: "alice", passwordHash: "hash")
        _ = try await store.createUser(username: "bob", passwordHash: "hash")
        let mangled = "not-an-object-id-at-all!"
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        try await DatabaseQueue(path: path, configuration: configuration).write { db in
            try db.execute(sql: "UPDATE user SET id = ? WHERE id = ?", arguments: [mangled, alice.id.description])
        }
        let failure = await #expect(throws: StoreError.self) { try await ArchiveContractTests.export(store) }
        #expect(failure?.code == .corrupt)
        #expect(failure?.record == .account)
        #expect(failure?.id == mangled)
        try await store.close()
    }

    @Test(arguments: Backend.all)
    func fiftyConcurrentWritersAllSucceed(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<50 {
                    group.addTask {
                        try await client.executeJSON(uri: "/trips", method: .post, headers: auth, body: json(#"{"name":"t\#(i)"}"#)).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: .created, count: 50))
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.count == 50)
        }
    }

    /// On stores whose reads use connections of their own, beside the writer's.
    @Test(arguments: Backend.shareable)
    func readersNeverSeeAHalfWrittenTrip(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            func draft(_ label: String) -> String {
                let points = (0..<50).map { #"{"name":"\#(label)","latitude":\#($0 % 90),"longitude":0}"# }
                return #"{"name":"\#(label)","waypoints":[\#(points.joined(separator: ","))]}"#
            }
            let id = try #require(try await client.createTrip(auth, draft("A"))["id"] as? String)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        for round in 0..<10 {
                            let label = (writer + round).isMultiple(of: 2) ? "A" : "B"
                            let response = try await client.executeJSON(uri: "/trips/\(id)", method: .put, headers: auth, body: json(draft(label)))
                            #expect(response.status == .ok)
                        }
                    }
                }
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<20 {
                            let trip = try await client.execute(uri: "/trips/\(id)", method: .get, headers: auth).object
                            let name = trip["name"] as? String
                            let names = (trip["waypoints"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                            #expect(names == Array(repeating: name ?? "?", count: 50))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let final = try await client.execute(uri: "/trips/\(id)", method: .get, headers: auth).object
            #expect(final["version"] as? Int == 41)
        }
    }

    @Test(arguments: Backend.all)
    func writesRacingTheOwnersDeletionAre401AndLeaveNothingBehind(backend: Backend) async throws {
        try await backend.withStore { store in
            let app = buildApplication(.testing, store: store, logger: .quiet)
            try await app.test(.router) { client in
                let auth = try await client.signUp("alice")
                let token = try await client.token(auth)
                let owner = try #require(try await store.account(username: "alice")?.user.id)
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for i in 0..<60 {
                        group.addTask {
                            if i == 20 { return try await client.execute(uri: "/users", method: .delete, headers: auth).status }
                            // 15 token requests, with the first token under the 20 an account is issued a minute.
                            let (uri, headers) = i % 4 == 1 ? ("/tokens", auth) : ("/trips", bearer(token))
                            return try await client.executeJSON(uri: uri, method: .post, headers: headers, body: json(#"{"name":"x"}"#)).status
                        }
                    }
                    return try await group.reduce(into: Set<HTTPResponse.Status>()) { $0.insert($1) }
                }
                #expect(statuses.isSubset(of: [.created, .noContent, .unauthorized]), "\(statuses)")
                #expect(try await store.trips(owner: owner, after: nil, limit: 100).isEmpty)
            }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func sigtermLetsInFlightRequestsFinishAndExitsZero() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("term-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let server = try await ServerProcess(database: "sqlite:\(path)", bcryptCost: 12)
        let outcomes = await withTaskGroup(of: Int?.self) { group in
            for i in 0..<8 {
                group.addTask {
                    do {
                        return try await server.request("POST", "/users", body: #"{"username":"user\#(i)","password":"password1"}"#).status
                    } catch let error as URLError where error.code == .cannotConnectToHost {
                        return nil
                    } catch {
                        return -1
                    }
                }
            }
            // Each sign-up costs about 250 ms of bcrypt on two threads: once the first is answered, the rest are in flight.
            var outcomes = [await group.next()!]
            server.signal(SIGTERM)
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        let answered = outcomes.compactMap { $0 }
        #expect(answered.allSatisfy { $0 == 201 }, "a request in flight at SIGTERM was dropped: \(outcomes)")
        #expect(answered.count >= 2, "too few requests were in flight to show draining: \(outcomes)")
        #expect(await server.exitStatus() == 0)
    }

    /// The writers are never cancelled: cancelling a URLSession request in flight can deadlock
    /// FoundationNetworking (swift-corelibs-foundation #5412). They stop when the killed server stops answering.
    @Test(.timeLimit(.minutes(2)), arguments: Backend.shareable)
    func killDashNineLosesNoAcknowledgedWrite(backend: Backend) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kill-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = backend == .mongo
            ? "\(try Backend.mongoServer())/kill_\(UUID().uuidString.prefix(8))" : "sqlite:\(path)"
        let server = try await ServerProcess(database: database)
        let auth = ["Authorization": basic("alice", "password1")[.authorization]!]
        #expect(try await server.request("POST", "/users", body: #"{"username":"alice","password":"password1"}"#).status == 201)

        let acknowledged = Acknowledged()
        let writers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        var round = 0
                        while true {
                            round += 1
                            guard let created = try? await server.request("POST", "/trips", headers: auth, body: #"{"name":"w\#(writer)-\#(round)"}"#),
                                created.status == 201, let id = created.body.jsonObject["id"] as? String
                            else { return }
                            await acknowledged.record(id, name: "w\(writer)-\(round)", version: 1)
                            guard let updated = try? await server.request("PUT", "/trips/\(id)", headers: auth, body: #"{"name":"u\#(writer)-\#(round)"}"#),
                                updated.status == 200
                            else { return }
                            await acknowledged.record(id, name: "u\(writer)-\(round)", version: 2)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        for _ in 0..<600 where await acknowledged.trips.count < 20 {
            try await Task.sleep(for: .milliseconds(50))
        }
        server.signal(SIGKILL)
        _ = await server.exitStatus()
        try await writers.value

        let trips = await acknowledged.trips
        #expect(trips.count >= 20)
        let restarted = try await ServerProcess(database: database)
        for (id, expected) in trips {
            let response = try await restarted.request("GET", "/trips/\(id)", headers: auth)
            #expect(response.status == 200, "acknowledged trip \(id) is missing")
            let version = response.body.jsonObject["version"] as? Int ?? 0
            #expect(version >= expected.version)
            if version == expected.version { #expect(response.body.jsonObject["name"] as? String == expected.name) }
        }
        restarted.signal(SIGTERM)
        #expect(await restarted.exitStatus() == 0)
        if backend == .sqliteFile {
            let check = try DatabaseQueue(path: path)
            #expect(try await check.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        }
    }
}

/// Writes the server answered 2xx to, as last acknowledged.
actor Acknowledged {
    private(set) var trips: [String: (name: String, version: Int)] = [:]

    func record(_ id: String, name: String, version: Int) {
        trips[id] = (name, version)
    }
}
