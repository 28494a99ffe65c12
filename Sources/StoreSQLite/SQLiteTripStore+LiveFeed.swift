import Foundation
import GRDB
import TripCore

extension SQLiteTripStore {
    public func liveFeedState(readers: [OwnerID], tokenDigests: [String], at now: Date) async throws -> LiveFeedState {
        try await reading { db in
            var standings: [OwnerID: ReaderStanding] = [:]
            for chunk in readers.map(\.description).chunked(Self.keysPerStatement) {
                let rows = try Row.fetchCursor(
                    db, sql: """
                        SELECT id, changeSeq, passwordHash, disabledAt IS NOT NULL FROM user
                        WHERE id IN (\(databaseQuestionMarks(count: chunk.count)))
                        """,
                    arguments: StatementArguments(chunk))
                while let row = try rows.next() {
                    let id = try row.decode(IDColumn.self, atIndex: 0)
                    standings[OwnerID(id.objectID)] = ReaderStanding(latest: row[1], passwordHash: row[2], isDisabled: row[3])
                }
            }
            var live = Set<String>()
            for chunk in tokenDigests.chunked(Self.keysPerStatement) {
                let digests = try String.fetchCursor(
                    db, sql: "SELECT digest FROM token WHERE expiresAt > ? AND digest IN (\(databaseQuestionMarks(count: chunk.count)))",
                    arguments: StatementArguments([now.milliseconds]) + StatementArguments(chunk))
                while let digest = try digests.next() { live.insert(digest) }
            }
            return LiveFeedState(readers: standings, liveTokens: live)
        }
    }

    /// Keys bound in one `IN (…)`, well under SQLite's limit of variables.
    static let keysPerStatement = 500
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
