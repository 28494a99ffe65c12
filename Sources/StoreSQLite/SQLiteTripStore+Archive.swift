import Foundation
import GRDB
import TripCore

extension SQLiteTripStore: ArchivableStore {
    public func archiveCounts(at now: Date) async throws -> [ArchiveRecord.Kind: Int] {
        try await readingSnapshot { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM user), (SELECT count(*) FROM token WHERE expiresAt > ?),
                    (SELECT count(*) FROM trip), (SELECT count(*) FROM share),
                    (SELECT count(*) FROM tripChange WHERE deletedAt IS NOT NULL)
                """, arguments: [now.milliseconds])!
            return [.user: row[0], .token: row[1], .trip: row[2], .share: row[3], .tombstone: row[4]]
        }
    }

    public func archiveReader(_ kind: ArchiveRecord.Kind, at now: Date) -> any ArchivePageReader {
        ArchiveKeysetReader(store: self, kind: kind, now: now)
    }

    /// Up to `limit` records of one kind in `archiveKey` order after `key`, each page a query of its own.
    func archivedRecords(
        _ kind: ArchiveRecord.Kind, after key: String?, limit: Int, at now: Date
    ) async throws -> [ArchiveRecord] {
        let after = key ?? ""
        return try await reading { db in
            switch kind {
            case .user:
                return try UserRow.fetchAll(
                    db.cachedStatement(sql: "SELECT * FROM user WHERE id > ? ORDER BY id LIMIT ?"), arguments: [after, limit]
                ).map { .user(try $0.account) }
            case .token:
                let rows = try TokenRow.fetchAll(
                    db.cachedStatement(sql: "SELECT * FROM token WHERE digest > ? AND expiresAt > ? ORDER BY digest LIMIT ?"),
                    arguments: [after, now.milliseconds, limit])
                return try rows.map { row in
                    guard let owner = OwnerID(row.ownerId) else { throw StoreError.corrupt(.token, nil, "owner is not an object id") }
                    return .token(AccessToken(digest: row.digest, owner: owner, expiresAt: Date(milliseconds: row.expiresAt)))
                }
            case .trip:
                let statement = try db.cachedStatement(sql: "SELECT \(TripRow.columns) FROM trip WHERE id > ? ORDER BY id LIMIT ?")
                return try TripRow.fetchAll(statement, arguments: [after, limit]).map { .trip(try $0.trip) }
            case .share:
                let statement = try db.cachedStatement(sql: """
                    SELECT id, tripId, ownerId, tokenDigest, createdAt, expiresAt FROM share
                    WHERE (tripId, id) > (?, ?) ORDER BY tripId, id LIMIT ?
                    """)
                let (trip, share) = (after.prefix(24), after.dropFirst(24))
                return try Row.fetchAll(statement, arguments: [String(trip), String(share), limit]).map { row in
                    guard let id = ShareID(row[0]), let trip = TripID(row[1]), let owner = OwnerID(row[2]) else {
                        throw StoreError.corrupt(.share, row[0] as String?, "an id is not an object id")
                    }
                    let share = Share(
                        id: id, trip: trip, owner: owner, createdAt: Date(milliseconds: row[4]),
                        expiresAt: (row[5] as Int64?).map(Date.init(milliseconds:)))
                    return .share(share, tokenDigest: row[3])
                }
            case .tombstone:
                let statement = try db.cachedStatement(sql: """
                    SELECT tripId, ownerId, deletedAt FROM tripChange WHERE deletedAt IS NOT NULL AND tripId > ?
                    ORDER BY tripId LIMIT ?
                    """)
                return try Row.fetchAll(statement, arguments: [after, limit]).map { row in
                    guard let trip = TripID(row[0]), let owner = OwnerID(row[1]) else {
                        throw StoreError.corrupt(.tombstone, row[0] as String?, "an id is not an object id")
                    }
                    return .tombstone(Tombstone(trip: trip, owner: owner, deletedAt: Date(milliseconds: row[2])))
                }
            }
        }
    }

    public func restore(_ records: [ArchiveRecord], accounts: AccountHashes) async throws {
        try await writing { db in
            var storedHashes: [OwnerID: String?] = [:]
            for index in records.indices.sorted(by: { (records[$0].kind, $0) < (records[$1].kind, $1) }) {
                do {
                    if let owner = records[index].owner {
                        let stored = try storedHashes[owner] ?? String.fetchOne(
                            db.cachedStatement(sql: "SELECT passwordHash FROM user WHERE id = ?"), arguments: [owner.description])
                        storedHashes[owner] = stored
                        if let refusal = accounts.refusal(records[index], stored: stored) { throw RestoreRefusal(text: refusal) }
                    }
                    try Self.restore(records[index], in: db)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw RestoreConflict(index: index, reason: Self.conflict(error, restoring: records[index]))
                } catch let reason as RestoreRefusal {
                    throw RestoreConflict(index: index, reason: reason.text)
                }
            }
        }
    }

    private struct RestoreRefusal: Error {
        let text: String
    }

    private static func restore(_ record: ArchiveRecord, in db: Database) throws {
        switch record {
        case .user(let account):
            try db.cachedStatement(sql: """
                INSERT INTO user (id, username, passwordHash, createdAt) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                """).execute(arguments: [
                    account.user.id.description, account.user.username, account.passwordHash,
                    account.user.createdAt.milliseconds,
                ])
        case .token(let token):
            try db.cachedStatement(sql: "INSERT INTO token (digest, ownerId, expiresAt) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .execute(arguments: [token.digest, token.owner.description, token.expiresAt.milliseconds])
        case .trip(let trip):
            // Not an upsert: its conflict clause would override the OR REPLACE of the triggers that feed changes.
            let row = TripRow(trip)
            let stored = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT ownerId, version FROM trip WHERE id = ?"), arguments: [trip.id.description])
            guard let stored else {
                try row.insert(db)
                return
            }
            guard stored[0] == trip.owner.description else {
                throw RestoreRefusal(text: "trip \(trip.id) belongs to another user")
            }
            if trip.version > stored[1] { try row.update(db) }
        case .share(let share, let digest):
            try db.cachedStatement(sql: """
                INSERT INTO share (id, tripId, ownerId, tokenDigest, createdAt, expiresAt)
                SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM trip WHERE id = ?2 AND ownerId = ?3)
                ON CONFLICT (id) DO NOTHING
                """).execute(arguments: [
                    share.id.description, share.trip.description, share.owner.description, digest,
                    share.createdAt.milliseconds, share.expiresAt?.milliseconds,
                ])
            if db.changesCount == 0,
                try !Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM share WHERE id = ?)"),
                    arguments: [share.id.description])!
            {
                throw RestoreRefusal(text: "share \(share.id) is of trip \(share.trip), which user \(share.owner) does not hold")
            }
        case .tombstone(let tombstone):
            try db.cachedStatement(sql: """
                INSERT INTO tripChange (tripId, ownerId, deletedAt)
                SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM user WHERE id = ?2)
                ON CONFLICT (tripId) DO NOTHING
                """).execute(arguments: [
                    tombstone.trip.description, tombstone.owner.description, tombstone.deletedAt.milliseconds,
                ])
            if db.changesCount == 0,
                try !Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM tripChange WHERE tripId = ?)"),
                    arguments: [tombstone.trip.description])!
            {
                throw RestoreRefusal(text: "deleted trip \(tombstone.trip) names user \(tombstone.owner), who does not exist")
            }
        }
    }

    private static func conflict(_ error: DatabaseError, restoring record: ArchiveRecord) -> String {
        switch (record, error.extendedResultCode) {
        case (.user(let account), .SQLITE_CONSTRAINT_UNIQUE):
            "username \(account.user.username) already exists under another id"
        case (.share(let share, _), .SQLITE_CONSTRAINT_UNIQUE):
            "share \(share.id) has the token of another share"
        case (.token(let token), .SQLITE_CONSTRAINT_FOREIGNKEY):
            "token names user \(token.owner), who does not exist"
        case (.trip(let trip), .SQLITE_CONSTRAINT_FOREIGNKEY):
            "trip \(trip.id) names user \(trip.owner), who does not exist"
        default:
            "\(record.kind) \(record.archiveKey) breaks a constraint: \(error.message ?? "\(error.extendedResultCode)")"
        }
    }
}

/// Pages through one kind by key: each page starts after the last key of the one before.
final class ArchiveKeysetReader: ArchivePageReader {
    private let store: SQLiteTripStore
    private let kind: ArchiveRecord.Kind
    private let now: Date
    private var after: String?

    init(store: SQLiteTripStore, kind: ArchiveRecord.Kind, now: Date) {
        self.store = store
        self.kind = kind
        self.now = now
    }

    func next(_ limit: Int) async throws -> [ArchiveRecord] {
        let page = try await store.archivedRecords(kind, after: after, limit: limit, at: now)
        after = page.last?.archiveKey ?? after
        return page
    }

    func close() async {}
}
