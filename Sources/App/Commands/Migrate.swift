import Archive
import ArgumentParser
import TripCore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copies one store into another, empty one, without a file, then compares the two.",
        discussion: """
            The comparison counts each kind of record in both stores and checksums their content; on any \
            difference the command names it and exits 1.
            """)

    @Option(help: "The store to copy: sqlite:PATH or mongodb://HOST:PORT/DB")
    var from: String

    @Option(help: "The empty store to copy into.")
    var to: String

    func run() async throws {
        let clock = WallClock.system
        try await ArchiveCommand.withStores([from, to], sources: [from], clock: clock) { stores in
            try await StoreMigration(from: stores[0], to: stores[1], clock: clock).run { ProgressMeter("copied", total: $0) }
        }
    }
}
