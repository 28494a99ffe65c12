import ArgumentParser
import Foundation
import StoreSQLite

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copies a live SQLite database consistently, with SQLite's online backup API, while a server writes.",
        discussion: """
            The copy is checked with PRAGMA integrity_check, then moved into place, so FILE is either the old copy or \
            a whole new one. For MongoDB, use export; mongodump remains the tool for large deployments.
            """)

    @Option(help: "sqlite:PATH  [env: DATABASE_URL]")
    var database: String

    @Option(help: "The file to write the copy to; replaced when it exists.")
    var output: String

    func validate() throws {
        guard database.hasPrefix("sqlite:"), database != "sqlite::memory:" else {
            throw ValidationError("backup copies SQLite database files; for MongoDB, use export.")
        }
    }

    func run() async throws {
        let path = String(database.dropFirst("sqlite:".count))
        guard FileManager.default.fileExists(atPath: path) else {
            FileHandle.standardError.write(Data("trip-planner: no SQLite database at '\(path)'\n".utf8))
            throw ExitCode(2)
        }
        do {
            try await SQLiteBackup.copy(databaseAt: path, to: output)
        } catch {
            FileHandle.standardError.write(Data("trip-planner: backup failed: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
