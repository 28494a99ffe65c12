import Foundation
import GRDB
@testable import StoreSQLite
import Testing

/// What only the SQLite store promises: its file's durability settings.
@Suite struct SQLiteStoreTests {
    @Test func aFileStoreWritesInWALModeAndSyncsEveryCommit() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("durable-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteTripStore(path: path)
        try await store.prepare()
        let (journal, synchronous) = try await store.writer.run { database in
            try database.read { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
            }
        }
        #expect(journal == "wal")
        #expect(synchronous == 2, "synchronous = FULL")
    }
}
