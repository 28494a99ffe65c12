import Foundation
import Testing

/// `trip-planner export`, `import` and `migrate` as real processes, between real stores.
@Suite struct ArchiveCommandTests {
    /// A fresh SQLite database, as `--database` takes it, removed with its files when `body` is done.
    static func withDatabases<T>(_ backends: [Backend], _ body: ([String]) async throws -> T) async throws -> T {
        let databases = try backends.map(ServerProcess.database(for:))
        defer { databases.forEach(ServerProcess.removeFiles(of:)) }
        return try await body(databases)
    }

    static func export(_ database: String) async throws -> Data {
        let exported = try await TripPlannerCommand.run(["export", "--database", database])
        #expect(exported.status == 0, "\(exported.errors)")
        return exported.output
    }

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func aRoundTripThroughAnotherStoreGivesByteIdenticalExports(middle: Backend) async throws {
        try await Self.withDatabases([.sqliteFile, middle, .sqliteFile]) { databases in
            let server = try await ServerProcess(database: databases[0])
            _ = try await ArchiveFixture(server: server)
            server.signal(SIGTERM)
            _ = await server.exitStatus()
            let disabled = try await TripPlannerCommand.run(["users", "disable", "bob", "--reason", "chargeback", "--database", databases[0]])
            #expect(disabled.status == 0, "\(disabled.errors)")
            let first = try await Self.export(databases[0])
            let lines = String(decoding: first, as: UTF8.self).split(separator: "\n")
            for kind in ["user", "token", "trip", "share", "member", "invitation", "tombstone", "audit"] {
                #expect(lines.contains { $0.hasPrefix(#"{"kind":"\#(kind)""#) }, "the archive holds a \(kind)")
            }
            #expect(lines.contains { $0.contains(#""username":"bob""#) && $0.contains(#""disabledReason":"chargeback""#) })
            let imported = try await TripPlannerCommand.run(["import", "--database", databases[1]], input: first)
            #expect(imported.status == 0, "\(imported.errors)")
            let second = try await Self.export(databases[1])
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID()).jsonl").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try second.write(to: URL(fileURLWithPath: path))
            #expect(try await TripPlannerCommand.run(["import", "--database", databases[2], "--input", path]).status == 0)
            let third = try await Self.export(databases[2])
            #expect(second == first)
            #expect(third == first)
        }
    }

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func afterMigrateTheTargetAcceptsTheSameTokenIdsAndETagsAndRefusesOldCursors(target: Backend) async throws {
        try await Self.withDatabases([.sqliteFile, target]) { databases in
            let source = try await ServerProcess(database: databases[0])
            let fixture = try await ArchiveFixture(server: source)
            let migrated = try await TripPlannerCommand.run(["migrate", "--from", databases[0], "--to", databases[1]])
            #expect(migrated.status == 0, "\(migrated.errors)")
            #expect(migrated.errors.hasPrefix("copied 12 records"), "one summary line: \(migrated.errors)")
            let server = try await ServerProcess(database: databases[1])
            for (id, etag) in fixture.etags {
                let trip = try await RawHTTP.request("GET", port: server.port, "/trips/\(id)", headers: fixture.auth)
                #expect(trip.status == 200)
                #expect(trip.headers["etag"] == etag)
            }
            let sync = try await RawHTTP.request("GET", port: server.port, "/changes?since=\(fixture.cursor)", headers: fixture.auth)
            #expect(sync.status == 410)
            let fresh = try await RawHTTP.request("GET", port: server.port, "/changes", headers: fixture.auth)
            #expect((Data(fresh.body.utf8).jsonObject["changes"] as? [Any])?.count == 3)
            let again = try await TripPlannerCommand.run(["migrate", "--from", databases[0], "--to", databases[1]])
            #expect(again.status == 1)
            #expect(again.errors.contains("not empty"))
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func helpFollowsArgumentParsersConventions() async throws {
        let help = try await TripPlannerCommand.run(["help"])
        #expect(help.status == 0)
        for command in ["serve (default)", "export", "import", "migrate", "backup"] {
            #expect(String(decoding: help.output, as: UTF8.self).contains(command))
        }
        let importHelp = try await TripPlannerCommand.run(["import", "--help"])
        let importText = String(decoding: importHelp.output, as: UTF8.self)
        #expect(importText.contains("USAGE: trip-planner import --database <database> [--input <input>] [--merge]"))
        #expect(importText.replacingOccurrences(of: "\n ", with: "").contains("An archive is trusted data, like a database dump"), "\(importText)")
    }
}
