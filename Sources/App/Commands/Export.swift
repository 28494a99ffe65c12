import Archive
import ArgumentParser
import Foundation
import TripCore

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Writes every user, unexpired token, trip, share and deleted trip of a store as JSON Lines.",
        discussion: """
            The first line names the format and its version; each line after it is one record. The archive holds \
            password hashes and token digests: keep it as safe as the database. For MongoDB, this is the backup; \
            mongodump remains the tool for large deployments.
            """)

    @Option(help: "sqlite:PATH or mongodb://HOST:PORT/DB  [env: DATABASE_URL]")
    var database: String

    @Option(help: "The file to write, readable by its owner only; standard output when absent.")
    var output: String?

    func run() async throws {
        let clock = WallClock.system
        try await ArchiveCommand.withStores([database], sources: [database], clock: clock) { stores in
            let export = StoreExport(store: stores[0], now: clock.now)
            let progress = ProgressMeter("exported", total: try await export.expectedCount())
            guard let output else {
                return try await export.write(to: STDOUT_FILENO, progress: progress)
            }
            return try await OutputFile.replacing(output) { try await export.write(to: $0, progress: progress) }
        }
    }
}
