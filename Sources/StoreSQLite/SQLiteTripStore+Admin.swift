import Foundation
import GRDB
import TripCore

extension SQLiteTripStore: AccountAdminStore {
    public func accountSummaries(after username: String?, limit: Int, at now: Date) async throws -> [AccountSummary] {
        try await readingSnapshot { db in
            let rows = try UserRow.fetchAll(
                db, sql: "SELECT * FROM user WHERE username > ? COLLATE NOCASE ORDER BY username COLLATE NOCASE LIMIT ?",
                arguments: [username ?? "", limit])
            return try rows.map { try Self.summary(of: $0, at: now, in: db) }
        }
    }

    public func accountSummary(username: String, at now: Date) async throws -> AccountSummary? {
        try await readingSnapshot { db in
            try UserRow.fetchOne(db, sql: "SELECT * FROM user WHERE username = ? COLLATE NOCASE", arguments: [username])
                .map { try Self.summary(of: $0, at: now, in: db) }
        }
    }

    private static func summary(of row: UserRow, at now: Date, in db: Database) throws -> AccountSummary {
        let counts = try Row.fetchOne(
            db,
            sql: """
                SELECT (SELECT count(*) FROM trip WHERE ownerId = ?1),
                    (SELECT count(*) FROM token WHERE ownerId = ?1 AND expiresAt > ?2),
                    (SELECT count(*) FROM share WHERE ownerId = ?1 AND (expiresAt IS NULL OR expiresAt > ?2))
                """,
            arguments: [row.id, now.milliseconds])!
        return AccountSummary(
            user: try row.account.user, disablement: row.disablement, tripsOwned: counts[0], liveTokens: counts[1],
            liveShares: counts[2])
    }

    public func setDisablement(_ disablement: Disablement?, of owner: OwnerID) async throws {
        try await writing { db in
            try db.execute(
                sql: "UPDATE user SET disabledAt = ?, disabledReason = ? WHERE id = ?",
                arguments: [disablement?.since.milliseconds, disablement?.reason, owner.description])
            guard db.changesCount == 1 else { throw StoreError.notFound(.account, owner) }
        }
    }

    public func revokeTokens(of owner: OwnerID) async throws -> Int {
        try await writing { db in
            try db.execute(sql: "DELETE FROM token WHERE ownerId = ?", arguments: [owner.description])
            return db.changesCount
        }
    }

    public func attemptWindows(_ keys: AttemptKeyRange, at now: Date) async throws -> [String: AttemptWindow] {
        let (condition, arguments) = Self.condition(keys)
        return try await reading { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT key, count, windowEnds FROM attempt WHERE (\(condition)) AND windowEnds > ?",
                arguments: arguments + [now.milliseconds])
            return Dictionary(
                rows.map { ($0[0], AttemptWindow(count: $0[1], ends: Date(milliseconds: $0[2]))) }, uniquingKeysWith: { a, _ in a })
        }
    }

    public func clearAttempts(_ keys: AttemptKeyRange) async throws -> Int {
        let (condition, arguments) = Self.condition(keys)
        return try await writing { db in
            try db.execute(sql: "DELETE FROM attempt WHERE \(condition)", arguments: arguments)
            return db.changesCount
        }
    }

    /// A condition on `attempt.key` matching `keys`, with its arguments.
    private static func condition(_ keys: AttemptKeyRange) -> (String, StatementArguments) {
        var clauses = ["key IN (\(keys.exact.map { _ in "?" }.joined(separator: ", ")))"]
        var arguments = StatementArguments(keys.exact)
        if let lower = keys.lowerBound, let upper = keys.upperBound {
            clauses.append("(key >= ? AND key < ?)")
            arguments += [lower, upper]
        }
        return (clauses.joined(separator: " OR "), arguments)
    }

    public func statistics(at now: Date) async throws -> StoreStatistics {
        try await readingSnapshot { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM user), (SELECT count(*) FROM trip),
                    (SELECT count(*) FROM token WHERE expiresAt > ?1),
                    (SELECT count(*) FROM share WHERE expiresAt IS NULL OR expiresAt > ?1),
                    (SELECT count(*) FROM tripChange WHERE deletedAt IS NOT NULL),
                    (SELECT count(*) FROM attempt WHERE windowEnds > ?1), (SELECT count(*) FROM audit),
                    (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size())
                """, arguments: [now.milliseconds])!
            var statistics = StoreStatistics()
            (statistics.accounts, statistics.trips, statistics.tokens) = (row[0], row[1], row[2])
            (statistics.shares, statistics.tombstones, statistics.attemptWindows) = (row[3], row[4], row[5])
            statistics.auditEvents = row[6]
            statistics.databaseBytes = row[7]
            return statistics
        }
    }

    public func recordAudit(_ event: AuditEvent) async throws {
        try await writing { db in try Self.insert(event, in: db) }
    }

    public func auditEvents(limit: Int) async throws -> [AuditEvent] {
        try await reading { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.auditColumns) FROM audit ORDER BY at DESC, id DESC LIMIT ?", arguments: [limit])
                .map(Self.auditEvent)
        }
    }

    /// Keeps the event unless its id is held.
    static func insert(_ event: AuditEvent, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO audit (\(auditColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)").execute(arguments: [
            event.id.description, event.at.milliseconds, event.command, event.account, event.operatorName, event.host, event.reason,
        ])
    }

    static let auditColumns = "id, at, command, account, operator, host, reason"

    static func auditEvent(_ row: Row) throws -> AuditEvent {
        guard let id = ObjectID(row[0] as String) else { throw StoreError.corrupt(.audit, row[0] as String?, "id is not an object id") }
        return AuditEvent(
            id: id, at: Date(milliseconds: row[1]), command: row[2], account: row[3], operatorName: row[4], host: row[5], reason: row[6])
    }
}
