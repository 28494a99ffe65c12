import Foundation
import GRDB
import TripCore

extension SQLiteTripStore: ArchivableStore {
    public func archiveCounts(at now: Date) async throws -> [ArchiveRecord.Kind: Int] {
        try await readingSnapshot { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM user), (SELECT count(*) FROM token WHERE expiresAt > ?),
                    (SELECT count(*) FROM trip), (SELECT count(*) FROM share),
                    (SELECT count(*) FROM tripChange WHERE deletedAt IS NOT NULL AND readerId = ownerId), (SELECT count(*) FROM audit),
                    (SELECT count(*) FROM member), (SELECT count(*) FROM invitation WHERE expiresAt > ?1)
                """, arguments: [now.milliseconds])!
            return [
                .user: row[0], .token: row[1], .trip: row[2], .share: row[3], .tombstone: row[4], .audit: row[5], .member: row[6],
                .invitation: row[7],
            ]
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
            case .member:
                let statement = try db.cachedStatement(sql: """
                    SELECT member.tripId, trip.ownerId, member.userId, member.role, member.joinedAt
                    FROM member JOIN trip ON trip.id = member.tripId
                    WHERE (member.tripId, member.userId) > (?, ?) ORDER BY member.tripId, member.userId LIMIT ?
                    """)
                let (trip, member) = (after.prefix(24), after.dropFirst(24))
                return try Row.fetchAll(statement, arguments: [String(trip), String(member), limit]).map { row in
                    guard let trip = TripID(row[0]), let owner = OwnerID(row[1]), let member = OwnerID(row[2]),
                        let role = TripRole(rawValue: row[3])
                    else { throw StoreError.corrupt(.member, row[0] as String?, "an id or the role is unreadable") }
                    return .member(TripMembership(trip: trip, owner: owner, member: member, role: role, joinedAt: Date(milliseconds: row[4])))
                }
            case .invitation:
                let statement = try db.cachedStatement(sql: """
                    SELECT invitation.id, invitation.tripId, trip.ownerId, invitation.role, invitation.tokenDigest,
                        invitation.createdAt, invitation.expiresAt
                    FROM invitation JOIN trip ON trip.id = invitation.tripId
                    WHERE (invitation.tripId, invitation.id) > (?, ?) AND invitation.expiresAt > ?
                    ORDER BY invitation.tripId, invitation.id LIMIT ?
                    """)
                let (trip, invitation) = (after.prefix(24), after.dropFirst(24))
                return try Row.fetchAll(statement, arguments: [String(trip), String(invitation), now.milliseconds, limit]).map { row in
                    guard let id = InvitationID(row[0]), let trip = TripID(row[1]), let owner = OwnerID(row[2]),
                        let role = TripRole(rawValue: row[3])
                    else { throw StoreError.corrupt(.invitation, row[0] as String?, "an id or the role is unreadable") }
                    let invitation = Invitation(
                        id: id, trip: trip, role: role, createdAt: Date(milliseconds: row[5]), expiresAt: Date(milliseconds: row[6]))
                    return .invitation(invitation, owner: owner, tokenDigest: row[4])
                }
            case .tombstone:
                // A deleted trip's tombstone in its owner's feed; members' tombstones are not archived.
                let statement = try db.cachedStatement(sql: """
                    SELECT tripId, ownerId, deletedAt FROM tripChange
                    WHERE deletedAt IS NOT NULL AND readerId = ownerId AND tripId > ? ORDER BY tripId LIMIT ?
                    """)
                return try Row.fetchAll(statement, arguments: [after, limit]).map { row in
                    guard let trip = TripID(row[0]), let owner = OwnerID(row[1]) else {
                        throw StoreError.corrupt(.tombstone, row[0] as String?, "an id is not an object id")
                    }
                    return .tombstone(Tombstone(trip: trip, owner: owner, deletedAt: Date(milliseconds: row[2])))
                }
            case .audit:
                let statement = try db.cachedStatement(sql: "SELECT \(Self.auditColumns) FROM audit WHERE id > ? ORDER BY id LIMIT ?")
                return try Row.fetchAll(statement, arguments: [after, limit]).map { .audit(try Self.auditEvent($0)) }
            }
        }
    }

    public func restore(_ records: [ArchiveRecord], accounts: AccountHashes) async throws {
        try await writing { db in
            let plan = try RestorePlan(records, accounts: accounts, held: try Self.holdings(RestorePlan.lookup(records), in: db))
            for step in plan.steps {
                try Self.apply(step, in: db)
            }
        }
    }

    private static func holdings(_ lookup: RestorePlan.Lookup, in db: Database) throws -> RestoreHoldings {
        var held = RestoreHoldings()
        let hash = try db.cachedStatement(sql: "SELECT passwordHash FROM user WHERE id = ?")
        for owner in lookup.owners {
            held.passwordHashes[owner] = try String.fetchOne(hash, arguments: [owner.description])
        }
        let named = try db.cachedStatement(sql: "SELECT id FROM user WHERE username = ? COLLATE NOCASE")
        for username in lookup.usernames {
            held.usernames[username] = try String.fetchOne(named, arguments: [username]).flatMap(OwnerID.init)
        }
        let token = try db.cachedStatement(sql: "SELECT digest FROM token WHERE digest = ?")
        held.tokens = Set(try lookup.tokens.compactMap { try String.fetchOne(token, arguments: [$0]) })
        let trip = try db.cachedStatement(sql: "SELECT ownerId, version FROM trip WHERE id = ?")
        let tombstone = try db.cachedStatement(sql: "SELECT 1 FROM tripChange WHERE tripId = ? AND deletedAt IS NOT NULL AND readerId = ownerId")
        for id in lookup.trips {
            if let row = try Row.fetchOne(trip, arguments: [id.description]), let owner = OwnerID(row[0] as String) {
                held.trips[id] = (owner, row[1])
            } else if try Bool.fetchOne(tombstone, arguments: [id.description]) != nil {
                held.tombstones.insert(id)
            }
        }
        let share = try db.cachedStatement(sql: "SELECT id FROM share WHERE id = ?")
        held.shares = Set(try lookup.shares.compactMap { try String.fetchOne(share, arguments: [$0.description]).flatMap(ShareID.init) })
        let shareToken = try db.cachedStatement(sql: "SELECT id FROM share WHERE tokenDigest = ?")
        for digest in lookup.shareTokens {
            held.shareTokens[digest] = try String.fetchOne(shareToken, arguments: [digest]).flatMap(ShareID.init)
        }
        let member = try db.cachedStatement(sql: "SELECT 1 FROM member WHERE tripId = ? AND userId = ?")
        held.members = Set(try lookup.members.filter {
            try Bool.fetchOne(member, arguments: [String($0.prefix(24)), String($0.dropFirst(24))]) != nil
        })
        let invitation = try db.cachedStatement(sql: "SELECT id FROM invitation WHERE id = ?")
        held.invitations = Set(try lookup.invitations.compactMap {
            try String.fetchOne(invitation, arguments: [$0.description]).flatMap(InvitationID.init)
        })
        let invitationToken = try db.cachedStatement(sql: "SELECT id FROM invitation WHERE tokenDigest = ?")
        for digest in lookup.invitationTokens {
            held.invitationTokens[digest] = try String.fetchOne(invitationToken, arguments: [digest]).flatMap(InvitationID.init)
        }
        let audit = try db.cachedStatement(sql: "SELECT id FROM audit WHERE id = ?")
        held.auditEvents = Set(try lookup.auditEvents.compactMap { try String.fetchOne(audit, arguments: [$0.description]).flatMap(ObjectID.init) })
        return held
    }

    private static func apply(_ step: RestorePlan.Step, in db: Database) throws {
        switch step {
        case .replace(let trip):
            try TripRow(trip).update(db)
        case .insert(.user(let account)):
            try db.cachedStatement(sql: """
                INSERT INTO user (id, username, passwordHash, createdAt, disabledAt, disabledReason) VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    account.user.id.description, account.user.username, account.passwordHash,
                    account.user.createdAt.milliseconds, account.disablement?.since.milliseconds, account.disablement?.reason,
                ])
        case .insert(.token(let token)):
            try db.cachedStatement(sql: "INSERT INTO token (digest, ownerId, expiresAt) VALUES (?, ?, ?)")
                .execute(arguments: [token.digest, token.owner.description, token.expiresAt.milliseconds])
        case .insert(.trip(let trip)):
            // Not an upsert: its conflict clause would override the OR REPLACE of the triggers that feed changes.
            try TripRow(trip).insert(db)
        case .insert(.share(let share, let digest)):
            try db.cachedStatement(sql: """
                INSERT INTO share (id, tripId, ownerId, tokenDigest, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    share.id.description, share.trip.description, share.owner.description, digest,
                    share.createdAt.milliseconds, share.expiresAt?.milliseconds,
                ])
        case .insert(.member(let membership)):
            try db.cachedStatement(sql: "INSERT INTO member (tripId, userId, role, joinedAt) VALUES (?, ?, ?, ?)")
                .execute(arguments: [
                    membership.trip.description, membership.member.description, membership.role.rawValue,
                    membership.joinedAt.milliseconds,
                ])
        case .insert(.invitation(let invitation, _, let digest)):
            try db.cachedStatement(sql: """
                INSERT INTO invitation (id, tripId, role, tokenDigest, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    invitation.id.description, invitation.trip.description, invitation.role.rawValue, digest,
                    invitation.createdAt.milliseconds, invitation.expiresAt.milliseconds,
                ])
        case .insert(.tombstone(let tombstone)):
            try db.cachedStatement(sql: "INSERT INTO tripChange (tripId, readerId, ownerId, deletedAt) VALUES (?1, ?2, ?2, ?3)")
                .execute(arguments: [
                    tombstone.trip.description, tombstone.owner.description, tombstone.deletedAt.milliseconds,
                ])
        case .insert(.audit(let event)):
            try insert(event, in: db)
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
