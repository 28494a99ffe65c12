import Foundation

/// One record of a whole store, as `export` writes it and `import` reads it.
public enum ArchiveRecord: Hashable, Sendable {
    case user(Account)
    case token(AccessToken)
    case trip(Trip)
    case share(Share, tokenDigest: String)
    case member(TripMembership)
    /// A pending invitation of the owner's trip.
    case invitation(Invitation, owner: OwnerID, tokenDigest: String)
    case tombstone(Tombstone)
    case audit(AuditEvent)

    /// The kinds in the order an archive holds them, each after the kinds its records refer to.
    public enum Kind: String, CaseIterable, Comparable, Sendable {
        case user, token, trip, share, member, invitation, tombstone, audit

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var kind: Kind {
        switch self {
        case .user: .user
        case .token: .token
        case .trip: .trip
        case .share: .share
        case .member: .member
        case .invitation: .invitation
        case .tombstone: .tombstone
        case .audit: .audit
        }
    }

    /// What a store orders records of this kind by: an id's hex, a token's digest, or for a share, membership or
    /// invitation its trip's id then its own (the member's, for a membership).
    public var archiveKey: String {
        switch self {
        case .user(let account): account.user.id.description
        case .token(let token): token.digest
        case .trip(let trip): trip.id.description
        case .share(let share, _): share.trip.description + share.id.description
        case .member(let membership): membership.trip.description + membership.member.description
        case .invitation(let invitation, _, _): invitation.trip.description + invitation.id.description
        case .tombstone(let tombstone): tombstone.trip.description
        case .audit(let event): event.id.description
        }
    }
}

/// The trace a deleted trip leaves in its owner's change feed until it is purged.
public struct Tombstone: Hashable, Sendable {
    public let trip: TripID
    public let owner: OwnerID
    public let deletedAt: Date

    public init(trip: TripID, owner: OwnerID, deletedAt: Date) {
        self.trip = trip
        self.owner = owner
        self.deletedAt = deletedAt
    }
}

/// A record that cannot join the store it is restored into, such as a username another id holds.
public struct RestoreConflict: Error, Hashable, Sendable {
    /// The record's place in the batch given to `restore`.
    public let index: Int
    public let reason: String

    public init(index: Int, reason: String) {
        self.index = index
        self.reason = reason
    }
}
