import Foundation
import GRDB
import TripCore

/// Members and invitations; writes are serialized, across processes too, so each count and check holds until its write.
extension SQLiteTripStore {
    public func createInvitation(_ invitation: Invitation, tokenDigest: String, owner: OwnerID, limit: Int) async throws {
        try await writing { db in
            try Self.requireOwner(db, trip: invitation.trip, owner: owner)
            let pending = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) FROM invitation WHERE tripId = ? AND expiresAt > ?"),
                arguments: [invitation.trip.description, invitation.createdAt.milliseconds]) ?? 0
            guard pending < limit else { throw StoreError.invitationLimitReached }
            try db.cachedStatement(sql: """
                INSERT INTO invitation (id, tripId, role, tokenDigest, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    invitation.id.description, invitation.trip.description, invitation.role.rawValue, tokenDigest,
                    invitation.createdAt.milliseconds, invitation.expiresAt.milliseconds,
                ])
        }
    }

    public func invitations(of trip: TripID, owner: OwnerID, at now: Date) async throws -> [Invitation] {
        try await readingSnapshot { db in
            try Self.requireOwner(db, trip: trip, owner: owner)
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT id, role, createdAt, expiresAt FROM invitation WHERE tripId = ? AND expiresAt > ?
                    ORDER BY createdAt, id
                    """),
                arguments: [trip.description, now.milliseconds])
            return try rows.map { row in
                guard let id = InvitationID(row[0] as String), let role = TripRole(rawValue: row[1]) else {
                    throw StoreError.corrupt(.invitation, row[0] as String, "id or role unreadable")
                }
                return Invitation(
                    id: id, trip: trip, role: role, createdAt: Date(milliseconds: row[2]), expiresAt: Date(milliseconds: row[3]))
            }
        }
    }

    public func deleteInvitation(_ id: InvitationID, of trip: TripID, owner: OwnerID, at now: Date) async throws {
        try await writing { db in
            try Self.requireOwner(db, trip: trip, owner: owner)
            try db.execute(
                sql: "DELETE FROM invitation WHERE id = ? AND tripId = ? AND expiresAt > ?",
                arguments: [id.description, trip.description, now.milliseconds])
            guard db.changesCount == 1 else { throw StoreError.notFound(.invitation, id) }
        }
    }

    public func join(tokenDigest: String, member: OwnerID, at now: Date, limit: Int) async throws -> Trip {
        try await writing { db in
            let pending = try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT invitation.id, invitation.tripId, invitation.role FROM invitation
                    JOIN trip ON trip.id = invitation.tripId JOIN user AS owner ON owner.id = trip.ownerId
                    WHERE invitation.tokenDigest = ? AND invitation.expiresAt > ? AND owner.disabledAt IS NULL
                    """),
                arguments: [tokenDigest, now.milliseconds])
            guard let pending, let trip = TripID(pending[1] as String) else { throw StoreError.notFound(.invitation, "of that token") }
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM user WHERE id = ?"), arguments: [member.description]) != nil
            else { throw StoreError.unknownOwner }
            let reader = try? Self.readable(db, id: trip, reader: member)
            guard reader == nil else { throw StoreError.alreadyMember }
            let members = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) FROM member WHERE tripId = ?"), arguments: [trip.description]) ?? 0
            guard members < limit else { throw StoreError.memberLimitReached }
            try db.execute(sql: "DELETE FROM invitation WHERE id = ?", arguments: [pending[0] as String])
            try db.cachedStatement(sql: "INSERT INTO member (tripId, userId, role, joinedAt) VALUES (?, ?, ?, ?)")
                .execute(arguments: [trip.description, member.description, pending[2] as String, now.milliseconds])
            return try Self.readable(db, id: trip, reader: member).seen
        }
    }

    public func members(of trip: TripID, reader: OwnerID) async throws -> [Member] {
        try await readingSnapshot { db in
            _ = try Self.readable(db, id: trip, reader: reader)
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT user.username, 'owner', trip.createdAt, 0 FROM trip JOIN user ON user.id = trip.ownerId WHERE trip.id = ?1
                    UNION ALL
                    SELECT user.username, member.role, member.joinedAt, 1 FROM member JOIN user ON user.id = member.userId
                    WHERE member.tripId = ?1
                    ORDER BY 4, 3, 1
                    """),
                arguments: [trip.description])
            return try rows.map { row in
                guard let role = TripRole(rawValue: row[1]) else { throw StoreError.corrupt(.member, trip, "role unreadable") }
                return Member(username: row[0], role: role, joinedAt: Date(milliseconds: row[2]))
            }
        }
    }

    /// Throws `StoreError.forbidden` for the owner's role, which no member can hold.
    public func setRole(_ role: TripRole, of username: String, trip: TripID, owner: OwnerID) async throws -> Member {
        guard role != .owner else { throw StoreError.forbidden }
        return try await writing { db in
            try Self.requireOwner(db, trip: trip, owner: owner)
            let held = try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT user.username, member.role, member.joinedAt, member.userId FROM member JOIN user ON user.id = member.userId
                    WHERE member.tripId = ? AND user.username = ? COLLATE NOCASE
                    """),
                arguments: [trip.description, username])
            guard let held else { throw StoreError.notFound(.member, username) }
            let member = Member(username: held[0], role: role, joinedAt: Date(milliseconds: held[2]))
            // The same role again changes nothing, and so feeds nothing.
            guard held[1] != role.rawValue else { return member }
            try db.execute(
                sql: "UPDATE member SET role = ? WHERE tripId = ? AND userId = ?", arguments: [role.rawValue, trip.description, held[3] as String])
            return member
        }
    }

    /// Leaves a tombstone in the former member's feed, stamped with this store's clock.
    public func removeMember(_ username: String, trip: TripID, by caller: OwnerID) async throws {
        let now = clock.now.milliseconds
        try await writing { db in
            let role = try Self.readable(db, id: trip, reader: caller).role
            let removed = try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT member.userId, trip.ownerId FROM member JOIN trip ON trip.id = member.tripId
                    WHERE member.tripId = ? AND member.userId = (SELECT id FROM user WHERE username = ? COLLATE NOCASE)
                    """),
                arguments: [trip.description, username])
            guard let removed else { throw StoreError.notFound(.member, username) }
            let userId: String = removed[0]
            guard role == .owner || userId == caller.description else { throw StoreError.forbidden }
            try db.execute(sql: "DELETE FROM member WHERE tripId = ? AND userId = ?", arguments: [trip.description, userId])
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO tripChange(tripId, readerId, ownerId, deletedAt) VALUES (?, ?, ?, ?)
                """).execute(arguments: [trip.description, userId, removed[1] as String, now])
        }
    }

    /// `StoreError.notFound` unless `owner` may read the trip, `StoreError.forbidden` unless they own it.
    static func requireOwner(_ db: Database, trip: TripID, owner: OwnerID) throws {
        let role = try Bool.fetchOne(
            db.cachedStatement(sql: """
                SELECT trip.ownerId = ?2 FROM trip LEFT JOIN member ON member.tripId = trip.id AND member.userId = ?2
                WHERE trip.id = ?1 AND (trip.ownerId = ?2 OR member.userId IS NOT NULL)
                """),
            arguments: [trip.description, owner.description])
        guard let role else { throw StoreError.notFound(.trip, trip) }
        guard role else { throw StoreError.forbidden }
    }
}
