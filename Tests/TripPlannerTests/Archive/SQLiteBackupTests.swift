import Foundation
import GRDB
import Synchronization
import Testing

/// `trip-planner backup` copies a SQLite database that a server process is writing to.
@Suite struct SQLiteBackupTests {
    @Test(.timeLimit(.minutes(3)))
    func aBackupTakenWhileAServerWritesIsWholeAndServable() async throws {
        try await ArchiveCommandTests.withDatabases([.sqliteFile]) { databases in
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID()).sqlite").path
            defer { ServerProcess.removeFiles(of: "sqlite:" + copy) }
            let server = try await ServerProcess(database: databases[0])
            #expect(try await RawHTTP.request("POST", port: server.port, "/users", body: #"{"username":"alice","password":"password1"}"#).status == 201)
            let issued = try await RawHTTP.request(
                "POST", port: server.port, "/tokens", headers: ["Authorization": basic("alice", "password1")[.authorization]!])
            let auth = ["Authorization": "Bearer \(try #require(Data(issued.body.utf8).jsonObject["token"] as? String))"]
            let acknowledged = Atomic<Int>(0)
            let stop = Atomic<Bool>(false)
            let port = server.port
            let writer = Task {
                while !stop.load(ordering: .relaxed) {
                    let created = try await RawHTTP.request(
                        "POST", port: port, "/trips", headers: auth, body: #"{"name":"Trip","waypoints":\#(ArchiveFixture.waypoints)}"#)
                    #expect(created.status == 201)
                    acknowledged.add(1, ordering: .relaxed)
                }
            }
            while acknowledged.load(ordering: .relaxed) < 20 { try await Task.sleep(for: .milliseconds(10)) }
            let synced = try await RawHTTP.request("GET", port: server.port, "/changes?limit=1", headers: auth)
            let cursor = try #require(Data(synced.body.utf8).jsonObject["cursor"] as? String)
            let before = acknowledged.load(ordering: .relaxed)
            let backup = try await TripPlannerCommand.run(["backup", "--database", databases[0], "--output", copy])
            let after = acknowledged.load(ordering: .relaxed)
            stop.store(true, ordering: .relaxed)
            try await writer.value
            #expect(backup.status == 0, "\(backup.errors)")
            #expect(after > before, "the server wrote while the backup ran")

            let copied = try DatabaseQueue(path: copy)
            let (verdict, trips) = try await copied.read { db in
                (try String.fetchAll(db, sql: "PRAGMA integrity_check"), try Int.fetchOne(db, sql: "SELECT count(*) FROM trip")!)
            }
            try copied.close()
            #expect(verdict == ["ok"])
            #expect(trips >= before && trips <= after + 1)

            let restored = try await ServerProcess(database: "sqlite:" + copy)
            let list = try await RawHTTP.request("GET", port: restored.port, "/trips?limit=100", headers: auth)
            #expect(list.status == 200)
            #expect((try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [Any])?.count == min(trips, 100))
            let resumed = try await RawHTTP.request("GET", port: restored.port, "/changes?since=\(cursor)", headers: auth)
            #expect(resumed.status == 410, "a cursor from before the copy could skip what is written after a restore")
        }
    }
}
