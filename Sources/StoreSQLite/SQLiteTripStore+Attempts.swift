import Foundation
import GRDB
import TripCore

extension SQLiteTripStore {
    public func attemptWindows(_ keys: [String], at now: Date) async throws -> [String: AttemptWindow] {
        try await reading { db in
            var windows: [String: AttemptWindow] = [:]
            let statement = try db.cachedStatement(sql: "SELECT count, windowEnds FROM attempt WHERE key = ? AND windowEnds > ?")
            for key in keys {
                if let row = try Row.fetchOne(statement, arguments: [key, now.milliseconds]) {
                    windows[key] = AttemptWindow(count: row[0], ends: Date(milliseconds: row[1]))
                }
            }
            return windows
        }
    }

    /// Also sweeps away windows that have ended, so the table holds only live ones.
    @discardableResult
    public func countAttempt(_ keys: [String], window length: TimeInterval, at now: Date) async throws -> [String: AttemptWindow] {
        let ends = now.addingTimeInterval(length).milliseconds
        return try await writing { db in
            let count = try db.cachedStatement(sql: """
                INSERT INTO attempt (key, count, windowEnds) VALUES (?1, 1, ?2)
                ON CONFLICT (key) DO UPDATE SET
                    count = CASE WHEN windowEnds > ?3 THEN count + 1 ELSE 1 END,
                    windowEnds = CASE WHEN windowEnds > ?3 THEN windowEnds ELSE ?2 END
                RETURNING count, windowEnds
                """)
            var windows: [String: AttemptWindow] = [:]
            for key in keys {
                guard let row = try Row.fetchOne(count, arguments: [key, ends, now.milliseconds]) else { continue }
                windows[key] = AttemptWindow(count: row[0], ends: Date(milliseconds: row[1]))
            }
            try db.execute(sql: "DELETE FROM attempt WHERE windowEnds <= ?", arguments: [now.milliseconds])
            return windows
        }
    }
}
