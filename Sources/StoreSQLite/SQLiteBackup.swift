import Foundation
import GRDB
import NIOPosix

/// A consistent copy of a SQLite database that a server may be writing to, by SQLite's online backup API.
public enum SQLiteBackup {
    /// Copies the database in one read transaction, which in WAL mode does not hold up writers, checks the copy with
    /// `PRAGMA integrity_check`, gives it a change feed of its own, syncs it, and only then moves it to `destination`.
    public static func copy(databaseAt path: String, to destination: String, busyTimeout: TimeInterval = 30) async throws {
        try await NIOThreadPool.singleton.runIfActive {
            let partial = destination + ".partial"
            try? FileManager.default.removeItem(atPath: partial)
            do {
                var configuration = Configuration()
                configuration.busyMode = .timeout(busyTimeout)
                let source = try DatabaseQueue(path: path, configuration: configuration)
                let copy = try DatabaseQueue(path: partial)
                try source.backup(to: copy)
                try source.close()
                let verdict = try copy.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
                guard verdict == ["ok"] else { throw BackupFailure("the copy fails integrity_check: \(verdict.joined(separator: "; "))") }
                // A restored copy is a new feed: cursors given since would otherwise skip what is written after it.
                try copy.write { db in
                    if try db.tableExists("changeFeed") { try db.execute(sql: "UPDATE changeFeed SET id = random()") }
                }
                try copy.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = DELETE") }
                try copy.close()
                guard rename(partial, destination) == 0 else {
                    throw BackupFailure("cannot move the copy to \(destination): \(String(cString: strerror(errno)))")
                }
            } catch {
                try? FileManager.default.removeItem(atPath: partial)
                throw error
            }
        }
    }

    public struct BackupFailure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
