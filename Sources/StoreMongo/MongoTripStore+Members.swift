import Foundation
import TripCore

/// Members live in their trip's document, invitations in `invitations` under a unique token digest. Every change of
/// access writes the trip's document, so that it conflicts with the trip's replacement and deletion and with any other
/// change of its members, and takes a change number of the member it concerns (`MongoTripStore+Feed.swift`).
extension MongoTripStore {
    /// Writes the trip's document first, so that concurrent creations conflict and one runs again counting the other's.
    public func createInvitation(_ invitation: Invitation, tokenDigest: String, owner: OwnerID, limit: Int) async throws {
        try await inTransaction { transaction in
            let trips = transaction["trips"]
            let touched = try trips.updateOne(
                Self.owned(invitation.trip, owner), BSONDocument(["$inc": .document(BSONDocument(["invitationsAdded": .int64(1)]))]))
            guard touched == 1 else { throw try Self.ownerOnly(invitation.trip, caller: owner, in: trips) }
            let invitations = transaction["invitations"]
            guard try invitations.count(Self.pending(of: invitation.trip, at: invitation.createdAt), limit: limit) < limit else {
                throw StoreError.invitationLimitReached
            }
            try invitations.insert(Documents.invitation(invitation, tokenDigest: tokenDigest))
        }
    }

    public func invitations(of trip: TripID, owner: OwnerID, at now: Date) async throws -> [Invitation] {
        try await withDatabase { database in
            _ = try Self.ownedTrip(trip, owner: owner, in: database["trips"])
            let oldestFirst = BSONDocument(["sort": .document(BSONDocument(["createdAt": .int32(1), "_id": .int32(1)]))])
            return try database["invitations"].find(Self.pending(of: trip, at: now), options: oldestFirst).map {
                try Documents.invitation($0.fields)
            }
        }
    }

    public func deleteInvitation(_ id: InvitationID, of trip: TripID, owner: OwnerID, at now: Date) async throws {
        try await withDatabase { database in
            _ = try Self.ownedTrip(trip, owner: owner, in: database["trips"])
            let filter = Self.pending(of: trip, at: now)
            filter.append("_id", .id(id))
            guard try database["invitations"].delete(filter) == 1 else { throw StoreError.notFound(.invitation, id) }
        }
    }

    /// Deletes the invitation in the transaction that adds the member, so of concurrent joins one commits and the
    /// others, run again, find it gone.
    public func join(tokenDigest: String, member: OwnerID, at now: Date, limit: Int) async throws -> Trip {
        try await inTransaction { transaction in
            let invitations = transaction["invitations"]
            let pending = BSONDocument(["tokenDigest": .string(tokenDigest), "expiresAt": .document(BSONDocument(["$gt": .date(now)]))])
            guard let document = try invitations.findOne(pending) else { throw StoreError.notFound(.invitation, "with this token") }
            let invitation = try Documents.invitation(document.fields)
            let trips = transaction["trips"]
            guard let trip = try trips.findOne(BSONDocument(["_id": .id(invitation.trip)]))?.fields else {
                throw StoreError.notFound(.invitation, invitation.id)
            }
            guard let owner: OwnerID = trip.id("ownerId") else { throw MongoFailure.corrupt(.trip, trip, "trip without ownerId") }
            // A disabled owner's invitations open nothing, as their share links do not.
            let enabledOwner = BSONDocument(["_id": .id(owner), "disabledAt": .document(BSONDocument(["$exists": .bool(false)]))])
            guard try transaction["users"].count(enabledOwner, limit: 1) == 1 else { throw StoreError.notFound(.invitation, invitation.id) }
            var members = try Documents.members(trip)
            guard owner != member, !members.contains(where: { $0.id == member }) else { throw StoreError.alreadyMember }
            guard members.count < limit else { throw StoreError.memberLimitReached }
            guard try invitations.delete(BSONDocument(["_id": .id(invitation.id)])) == 1 else {
                throw StoreError.notFound(.invitation, invitation.id)
            }
            guard case let (seq, user)? = try Self.nextChange(BSONDocument(["_id": .id(member)]), in: transaction["users"]) else {
                throw StoreError.unknownOwner
            }
            guard let username = user.string("username") else { throw MongoFailure.corrupt(.account, user, "user without username") }
            members.append(StoredMember(id: member, username: username, role: invitation.role, joinedAt: now))
            guard let updated = try Self.setMembers(members, of: invitation.trip, in: trips) else {
                throw StoreError.notFound(.invitation, invitation.id)
            }
            try Self.writeEntry(of: invitation.trip, for: member, seq: seq, ownsTrip: false, in: transaction)
            return try Documents.trip(updated.fields, reader: member)
        }
    }

    public func members(of trip: TripID, reader: OwnerID) async throws -> [Member] {
        try await on("trips") { trips in
            guard let fields = try trips.findOne(Self.readable(trip, by: reader))?.fields else { throw StoreError.notFound(.trip, trip) }
            guard let ownerName = fields.string("ownerName"), let createdAt = fields.date("createdAt") else {
                throw MongoFailure.corrupt(.trip, fields, "trip without ownerName")
            }
            let members = try Documents.members(fields).map(\.member)
            return [Member(username: ownerName, role: .owner, joinedAt: createdAt)] + members
        }
    }

    /// Throws `StoreError.forbidden` for the owner's role, which no member can hold.
    public func setRole(_ role: TripRole, of username: String, trip: TripID, owner: OwnerID) async throws -> Member {
        guard role != .owner else { throw StoreError.forbidden }
        return try await inTransaction { transaction in
            let trips = transaction["trips"]
            var members = try Documents.members(try Self.ownedTrip(trip, owner: owner, in: trips).fields)
            guard let index = Self.index(of: username, in: members) else { throw StoreError.notFound(.member, username) }
            let old = members[index]
            // The same role again changes nothing, and so feeds nothing.
            guard old.role != role else { return old.member }
            members[index] = StoredMember(id: old.id, username: old.username, role: role, joinedAt: old.joinedAt)
            guard try Self.setMembers(members, of: trip, in: trips) != nil else { throw StoreError.notFound(.trip, trip) }
            try Self.recordChange(of: trip, for: old.id, in: transaction)
            return members[index].member
        }
    }

    public func removeMember(_ username: String, trip: TripID, by caller: OwnerID) async throws {
        let now = clock.now
        try await inTransaction { transaction in
            let trips = transaction["trips"]
            guard let fields = try trips.findOne(Self.readable(trip, by: caller))?.fields else { throw StoreError.notFound(.trip, trip) }
            var members = try Documents.members(fields)
            guard let index = Self.index(of: username, in: members) else { throw StoreError.notFound(.member, username) }
            let removed = members.remove(at: index)
            guard fields.id("ownerId") == caller || removed.id == caller else { throw StoreError.forbidden }
            guard try Self.setMembers(members, of: trip, in: trips) != nil else { throw StoreError.notFound(.trip, trip) }
            try Self.recordChange(of: trip, for: removed.id, deletedAt: now, in: transaction)
        }
    }

    /// The trip's invitations pending at `now`.
    private static func pending(of trip: TripID, at now: Date) -> BSONDocument {
        BSONDocument(["tripId": .id(trip), "expiresAt": .document(BSONDocument(["$gt": .date(now)]))])
    }

    /// Where `username`, in any ASCII case, is among `members`.
    private static func index(of username: String, in members: [StoredMember]) -> Int? {
        let key = Documents.usernameKey(username)
        return members.firstIndex { Documents.usernameKey($0.username) == key }
    }

    /// Replaces the trip's member list, in the caller's transaction; the document afterwards, or nil when it is gone.
    private static func setMembers(_ members: [StoredMember], of trip: TripID, in trips: MongoCollection) throws -> BSONDocument? {
        try trips.findOneAndUpdate(
            BSONDocument(["_id": .id(trip)]), BSONDocument(["$set": .document(BSONDocument(["members": Documents.members(members)]))]))
    }
}
