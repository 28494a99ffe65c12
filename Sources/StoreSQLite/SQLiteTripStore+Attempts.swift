import Foundation
import GRDB
import TripCore

extension SQLiteTripStore {
    /// One UPSERT counts and compares: its `WHERE` lets the update through only into a window with room or over an ended
    /// one, so a full window returns no row and the take is refused. Writes are serialized, so the read of a full
    /// window in the same transaction sees what refused it. Also sweeps away windows that have ended.
    public func takeAttempt(_ key: AttemptKey, limit: Int, window length: TimeInterval, at now: Date) async throws -> AttemptTake {
        let ends = now.addingTimeInterval(length).milliseconds
        return try await writing { db in
            let take = try db.cachedStatement(sql: """
                INSERT INTO attempt (key, count, windowEnds) VALUES (?1, 1, ?2)
                ON CONFLICT (key) DO UPDATE SET
                    count = CASE WHEN windowEnds > ?3 THEN count + 1 ELSE 1 END,
                    windowEnds = CASE WHEN windowEnds > ?3 THEN windowEnds ELSE ?2 END
                WHERE windowEnds <= ?3 OR count < ?4
                RETURNING count, windowEnds
                """)
            let answer: AttemptTake
            if let row = try Row.fetchOne(take, arguments: [key.stored, ends, now.milliseconds, limit]) {
                answer = .granted(AttemptWindow(count: row[0], ends: Date(milliseconds: row[1])))
            } else {
                let row = try Row.fetchOne(db, sql: "SELECT count, windowEnds FROM attempt WHERE key = ?", arguments: [key.stored])
                guard let row else { throw StoreError.unavailable }
                answer = .refused(AttemptWindow(count: row[0], ends: Date(milliseconds: row[1])))
            }
            try db.execute(sql: "DELETE FROM attempt WHERE windowEnds <= ?", arguments: [now.milliseconds])
            return answer
        }
    }

    public func giveBackAttempt(_ key: AttemptKey, window ends: Date) async throws {
        try await writing { db in
            let arguments: StatementArguments = [key.stored, ends.milliseconds]
            try db.execute(sql: "UPDATE attempt SET count = count - 1 WHERE key = ? AND windowEnds = ? AND count > 1", arguments: arguments)
            guard db.changesCount == 0 else { return }
            try db.execute(sql: "DELETE FROM attempt WHERE key = ? AND windowEnds = ? AND count = 1", arguments: arguments)
        }
    }
}
