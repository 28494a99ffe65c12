import Foundation

/// The members of trips, and the invitations that make them. Only a trip's owner manages either; a caller who is
/// neither the owner nor a member is told `StoreError.notFound`, exactly as for a trip that does not exist, and a
/// member asking for what only the owner may do is told `StoreError.forbidden`.
///
/// Each change of access is a change in the reader's feed, in the same transaction: joining and a new role give the
/// trip as the member now sees it, and losing access (removal, leaving) gives a tombstone.
public protocol MemberStore: Sendable {
    /// Keeps the invitation under the digest of its token. Throws `StoreError.invitationLimitReached`, keeping nothing,
    /// when the trip already has `limit` invitations pending at the new one's creation.
    func createInvitation(_ invitation: Invitation, tokenDigest: String, owner: OwnerID, limit: Int) async throws
    /// The trip's invitations pending at `now`, oldest first.
    func invitations(of trip: TripID, owner: OwnerID, at now: Date) async throws -> [Invitation]
    /// Throws `StoreError.notFound` when the trip has no such invitation pending.
    func deleteInvitation(_ id: InvitationID, of trip: TripID, owner: OwnerID, at now: Date) async throws
    /// Uses up the invitation pending at `now` under this digest, making `member` a member with its role, and returns
    /// the trip as they now see it. Throws `StoreError.notFound` for a digest no pending invitation has (unknown, used,
    /// revoked or expired alike, and while the trip's owner is disabled), `StoreError.alreadyMember`, leaving it pending, when `member` is the trip's owner or a
    /// member, `StoreError.memberLimitReached`, leaving it pending, when the trip has `limit` members, and
    /// `StoreError.unknownOwner` when `member` has no account. Of concurrent joins with one invitation, exactly one
    /// succeeds.
    func join(tokenDigest: String, member: OwnerID, at now: Date, limit: Int) async throws -> Trip
    /// The owner first, then the members by when they joined; for the owner and the members alike.
    func members(of trip: TripID, reader: OwnerID) async throws -> [Member]
    /// Gives a member another role. Throws `StoreError.notFound` (record `.member`) when `username` is not a member, and
    /// `StoreError.forbidden` for the owner's role, which no member can hold.
    func setRole(_ role: TripRole, of username: String, trip: TripID, owner: OwnerID) async throws -> Member
    /// Ends a membership: the owner may end anyone's, a member only their own. Throws `StoreError.notFound` (record
    /// `.member`) when `username` is not a member, and `StoreError.forbidden` for a member naming another member.
    func removeMember(_ username: String, trip: TripID, by caller: OwnerID) async throws
}
