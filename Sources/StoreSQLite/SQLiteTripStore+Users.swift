import Foundation
import GRDB
import TripCore

extension SQLiteTripStore {
    public func createUser(username: String, passwordHash: String) async throws -> User {
        let now = clock.now
        let user = User(id: OwnerID(ObjectID(date: now)), username: username, createdAt: now)
        let row = UserRow(id: user.id.description, username: username, passwordHash: passwordHash, createdAt: now.milliseconds)
        try await writing { db in
            do {
                try row.insert(db)
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                // The user table's one unique index besides its key is the username's, without regard to case.
                throw StoreError.duplicateUsername
            }
        }
        return user
    }

    public func account(username: String) async throws -> Account? {
        try await reading { db in
            try UserRow.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM user WHERE username = ? COLLATE NOCASE"), arguments: [username])?
                .account
        }
    }

    /// Members of the account's trips get tombstones first, since the deletion cascades to the trips and their members.
    public func deleteUser(_ id: OwnerID) async throws {
        let deletedAt = clock.now.milliseconds
        let deleted = try await writing { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO tripChange(tripId, readerId, ownerId, deletedAt)
                    SELECT member.tripId, member.userId, ?1, ?2 FROM trip JOIN member ON member.tripId = trip.id
                    WHERE trip.ownerId = ?1
                    """,
                arguments: [id.description, deletedAt])
            return try UserRow.deleteOne(db, key: id.description)
        }
        guard deleted else { throw StoreError.notFound(.account, id) }
    }

    public func changePasswordHash(_ owner: OwnerID, to passwordHash: String) async throws {
        try await writing { db in
            try db.execute(sql: "UPDATE user SET passwordHash = ? WHERE id = ?", arguments: [passwordHash, owner.description])
            guard db.changesCount == 1 else { throw StoreError.notFound(.account, owner) }
            try db.execute(sql: "DELETE FROM token WHERE ownerId = ?", arguments: [owner.description])
        }
    }

    public func saveToken(_ token: AccessToken, keepingNewest limit: Int) async throws {
        let row = TokenRow(digest: token.digest, ownerId: token.owner.description, expiresAt: token.expiresAt.milliseconds)
        try await writing { db in
            try TokenRow.filter(Column("expiresAt") < token.expiresAt.addingTimeInterval(-Self.tokenSweepAge).milliseconds)
                .deleteAll(db)
            try row.insert(db)
            try db.execute(
                sql: """
                    DELETE FROM token WHERE ownerId = ?1 AND digest NOT IN
                        (SELECT digest FROM token WHERE ownerId = ?1 ORDER BY expiresAt DESC, rowid DESC LIMIT ?2)
                    """,
                arguments: [row.ownerId, limit])
        }
    }

    public func user(tokenDigest: String, at now: Date) async throws -> User? {
        try await reading { db in
            let statement = try db.cachedStatement(sql: """
                SELECT user.id, user.username, user.createdAt, user.disabledAt IS NOT NULL FROM token
                JOIN user ON user.id = token.ownerId WHERE token.digest = ? AND token.expiresAt > ?
                """)
            guard let row = try Row.fetchOne(statement, arguments: [tokenDigest, now.milliseconds]) else { return nil }
            return User(
                id: OwnerID(try row.decode(IDColumn.self, atIndex: 0).objectID), username: row[1],
                createdAt: Date(milliseconds: row[2]), isDisabled: row[3])
        }
    }

    public func deleteToken(digest: String) async throws {
        _ = try await writing { db in try TokenRow.deleteOne(db, key: digest) }
    }

    /// Tokens that expired this long before a new one's expiry are swept when it is saved.
    static var tokenSweepAge: TimeInterval { 7 * 24 * 3600 }
}
