import Foundation

/// One person who may read a trip: its owner, or a member with a role.
public struct Member: Hashable, Sendable {
    public let username: String
    public let role: TripRole
    /// When they joined; for the owner, when the trip was created.
    public let joinedAt: Date

    public init(username: String, role: TripRole, joinedAt: Date) {
        self.username = username
        self.role = role
        self.joinedAt = joinedAt
    }
}

/// A link that makes whoever opens it first a member of a trip; the store keeps only its token's digest.
public struct Invitation: Hashable, Sendable {
    public let id: InvitationID
    public let trip: TripID
    public let role: TripRole
    public let createdAt: Date
    public let expiresAt: Date

    public init(id: InvitationID = InvitationID(), trip: TripID, role: TripRole, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.trip = trip
        self.role = role
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

public typealias InvitationID = RecordID<Invitation>

/// That a person is a member of a trip with a role, as an archive carries it.
public struct TripMembership: Hashable, Sendable {
    public let trip: TripID
    /// The trip's owner, who let the member in.
    public let owner: OwnerID
    public let member: OwnerID
    public let role: TripRole
    public let joinedAt: Date

    public init(trip: TripID, owner: OwnerID, member: OwnerID, role: TripRole, joinedAt: Date) {
        self.trip = trip
        self.owner = owner
        self.member = member
        self.role = role
        self.joinedAt = joinedAt
    }
}
