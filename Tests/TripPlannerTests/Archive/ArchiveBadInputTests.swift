import Foundation
import Testing

/// What `import` does with input it cannot take, and with a database it cannot reach.
@Suite struct ArchiveBadInputTests {
    static func exported(_ database: String) async throws -> String {
        String(decoding: try await ArchiveCommandTests.export(database), as: UTF8.self)
    }

    static let emptyArchive = #"{"format":"trip-planner-archive","version":1}"# + "\n"

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func aMalformedLinePastTheFirstBatchWritesNothing(backend: Backend) async throws {
        try await ArchiveCommandTests.withDatabases([backend]) { databases in
            var lines = ArchiveSamples.archive(users: ["alice"], tripsEach: 600)
            lines[580] = #"{"kind":"trip","id":"#
            let imported = try await TripPlannerCommand.run(["import", "--database", databases[0]], input: ArchiveSamples.data(lines))
            #expect(imported.status == 1)
            #expect(imported.errors.hasPrefix("trip-planner: line 581: malformed JSON at byte 21"), "\(imported.errors)")
            #expect(try await Self.exported(databases[0]) == Self.emptyArchive)
        }
    }

    /// A line past 4 MiB cannot be a record this server wrote; once a 50 MB line cost a minute of CPU before failing.
    @Test(.timeLimit(.minutes(2)))
    func aLineLongerThanARecordCanBeIsRefusedByNumber() async throws {
        try await ArchiveCommandTests.withDatabases([.sqliteFile]) { databases in
            var lines = ArchiveSamples.archive(users: ["alice"], tripsEach: 1)
            lines.insert(#"{"kind":"user","x":""# + String(repeating: "A", count: 5 << 20) + #""}"#, at: 2)
            let imported = try await TripPlannerCommand.run(["import", "--database", databases[0]], input: ArchiveSamples.data(lines))
            #expect(imported.status == 1)
            #expect(imported.errors == "trip-planner: line 3: longer than 4 MiB\n")
            #expect(try await Self.exported(databases[0]) == Self.emptyArchive)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func anUnknownFormatVersionOrAnInvalidRecordIsNamedByLine() async throws {
        try await ArchiveCommandTests.withDatabases([.sqliteFile]) { databases in
            var lines = ArchiveSamples.archive(users: ["alice"], tripsEach: 1)
            let valid = lines
            lines[0] = #"{"format":"trip-planner-archive","version":2}"#
            var imported = try await TripPlannerCommand.run(["import", "--database", databases[0]], input: ArchiveSamples.data(lines))
            #expect(imported.status == 1)
            #expect(imported.errors == "trip-planner: line 1: unknown format version 2; this server reads version 1\n")
            lines = valid
            lines[2] = lines[2].replacingOccurrences(of: #""latitude":48.8566"#, with: #""latitude":91"#)
            imported = try await TripPlannerCommand.run(["import", "--database", databases[0]], input: ArchiveSamples.data(lines))
            #expect(imported.status == 1)
            #expect(imported.errors == "trip-planner: line 3: invalid trip: /waypoints/0/latitude must be between -90.0 and 90.0\n")
            #expect(try await Self.exported(databases[0]) == Self.emptyArchive)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aMalformedBcryptHashOrOneCostingMoreThanTheServerRunsIsRefusedByLine() async throws {
        try await ArchiveCommandTests.withDatabases([.sqliteFile]) { databases in
            let valid = ArchiveSamples.archive(users: ["alice", "bob"], tripsEach: 0)
            for hash in UnusableHashTests.unusable {
                var lines = valid
                lines[2] = lines[2].replacingOccurrences(of: ArchiveSamples.passwordHash, with: hash)
                for merge in [[], ["--merge"]] {
                    let imported = try await TripPlannerCommand.run(
                        ["import", "--database", databases[0]] + merge, input: ArchiveSamples.data(lines))
                    #expect(imported.status == 1, "\(hash)")
                    #expect(imported.errors.hasPrefix("trip-planner: line 3: passwordHash is not a bcrypt hash this server runs: "), "\(imported.errors)")
                    #expect(try await Self.exported(databases[0]) == Self.emptyArchive, "\(hash)")
                }
            }
        }
    }

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func aUsernameHeldUnderAnotherIdStopsTheImport(backend: Backend) async throws {
        try await ArchiveCommandTests.withDatabases([backend]) { databases in
            let first = ArchiveSamples.archive(users: ["alice"], tripsEach: 1)
            #expect(try await TripPlannerCommand.run(["import", "--database", databases[0]], input: ArchiveSamples.data(first)).status == 0)
            let before = try await Self.exported(databases[0])
            let second = ArchiveSamples.archive(users: ["bob", "ALICE"], tripsEach: 1)
            let refused = try await TripPlannerCommand.run(["import", "--database", databases[0]], input: ArchiveSamples.data(second))
            #expect(refused.status == 1)
            #expect(refused.errors.contains("the target store is not empty (it holds 1 user, 1 trip); import into it with --merge"))
            #expect(try await Self.exported(databases[0]) == before)
            let merged = try await TripPlannerCommand.run(
                ["import", "--merge", "--database", databases[0]], input: ArchiveSamples.data(second))
            #expect(merged.status == 1)
            let aliceLine = try #require(second.firstIndex { $0.contains(#""username":"ALICE""#) }) + 1
            #expect(merged.errors == "trip-planner: line \(aliceLine): username ALICE already exists under another id\n")
            #expect(try await Self.exported(databases[0]) == before, "the batch with the clash is written not at all")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func twoUsernamesDifferingInCaseInOneArchiveWriteNothingEvenBatchesApart() async throws {
        try await ArchiveCommandTests.withDatabases([.sqliteFile]) { databases in
            let lines = ArchiveSamples.archive(users: ["alice"] + (1...600).map { "user\($0)" } + ["ALICE"], tripsEach: 0)
            let imported = try await TripPlannerCommand.run(["import", "--database", databases[0]], input: ArchiveSamples.data(lines))
            #expect(imported.status == 1)
            #expect(imported.errors == "trip-planner: line 603: username ALICE already exists under another id\n")
            #expect(try await Self.exported(databases[0]) == Self.emptyArchive)
        }
    }

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func aMergeStoppedPartWayCompletesWhenRunAgainOnFixedInput(backend: Backend) async throws {
        try await ArchiveCommandTests.withDatabases([backend]) { databases in
            let fixed = ArchiveSamples.archive(users: ["alice"], tripsEach: 600)
            var broken = fixed
            broken[580] = "not json"
            let path = try ArchiveSamples.file(broken)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let stopped = try await TripPlannerCommand.run(["import", "--merge", "--database", databases[0], "--input", path])
            #expect(stopped.status == 1)
            #expect(stopped.errors.contains("line 581: malformed JSON"))
            let partial = try await Self.exported(databases[0]).split(separator: "\n").count
            #expect(partial > 1 && partial < fixed.count, "the first batches were written")
            try ArchiveSamples.data(fixed).write(to: URL(fileURLWithPath: path))
            let completed = try await TripPlannerCommand.run(["import", "--merge", "--database", databases[0], "--input", path])
            #expect(completed.status == 0, "\(completed.errors)")
            #expect(try await Self.exported(databases[0]) == String(decoding: ArchiveSamples.data(fixed), as: UTF8.self))
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func anUnreachableDatabaseIsOneLineAndStatusTwo() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: missing) }
        for database in [
            "mongodb://127.0.0.1:1/unreachable?serverSelectionTimeoutMS=300", "sqlite:/nonexistent-directory/trips.sqlite",
            "sqlite:" + missing,
        ] {
            let export = try await TripPlannerCommand.run(["export", "--database", database])
            #expect(export.status == 2)
            #expect(export.errors.hasPrefix("trip-planner: "))
            #expect(export.errors.split(separator: "\n").count == 1, "\(export.errors)")
            #expect(export.output.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: missing), "an export makes no database where none was")
    }
}
