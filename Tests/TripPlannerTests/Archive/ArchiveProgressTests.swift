import Foundation
import Testing

/// Export, import and migrate draw a progress bar on a terminal and print one summary line anywhere else.
@Suite struct ArchiveProgressTests {
    @Test(.timeLimit(.minutes(2)))
    func aBarIsDrawnOnATerminalAndOneLineIsPrintedElsewhere() async throws {
        try await ArchiveCommandTests.withDatabases([.sqliteFile]) { databases in
            let lines = ArchiveSamples.archive(users: ["alice", "bob"], tripsEach: 700)
            let input = try ArchiveSamples.file(lines)
            let output = input + ".out"
            defer { [input, output].forEach { try? FileManager.default.removeItem(atPath: $0) } }

            let imported = try await TripPlannerCommand.runOnTerminal(["import", "--database", databases[0], "--input", input])
            #expect(imported.status == 0, "\(imported.errors)")
            #expect(imported.errors.contains("\r\u{1B}[K[##"), "a bar: \(imported.errors.debugDescription)")
            #expect(imported.errors.contains(" of 1,402 records, "), "records done of the total known after checking")
            #expect(imported.errors.contains(" left"), "the time left")
            #expect(imported.errors.contains("imported 1,402 records, "))

            let exported = try await TripPlannerCommand.runOnTerminal(["export", "--database", databases[0], "--output", output])
            #expect(exported.status == 0)
            #expect(exported.errors.contains("\r\u{1B}[K[") && exported.errors.contains("exported 1,402 records"))
            #expect(try String(contentsOfFile: output, encoding: .utf8) == String(decoding: ArchiveSamples.data(lines), as: UTF8.self))

            let plain = try await TripPlannerCommand.run(["export", "--database", databases[0], "--output", output])
            #expect(plain.status == 0)
            #expect(!plain.errors.contains("\r") && !plain.errors.contains("\u{1B}"))
            let summary = plain.errors.split(separator: "\n")
            #expect(summary.count == 1)
            #expect(summary.first?.hasPrefix("exported 1,402 records, ") == true, "\(plain.errors)")
            #expect(summary.first?.hasSuffix("; 2 users, 0 tokens, 1400 trips, 0 shares, 0 members, 0 invitations, 0 tombstones, 0 audit events") == true)
        }
    }
}
