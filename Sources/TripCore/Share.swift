import Foundation

/// A read-only link to one trip for people without an account; the store keeps only its token's digest.
public struct Share: Hashable, Sendable {
    public let id: ShareID
    public let trip: TripID
    public let owner: OwnerID
    public let createdAt: Date
    /// Nil for a link that works until it is revoked.
    public let expiresAt: Date?

    public init(id: ShareID = ShareID(), trip: TripID, owner: OwnerID, createdAt: Date, expiresAt: Date?) {
        self.id = id
        self.trip = trip
        self.owner = owner
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

public typealias ShareID = RecordID<Share>

/// Which state of a trip a share opens: enough to tell whether a rendering of it is current, without its waypoints.
public struct TripVersion: Hashable, Sendable {
    public let trip: TripID
    public let version: Int
    public let updatedAt: Date

    public init(trip: TripID, version: Int, updatedAt: Date) {
        self.trip = trip
        self.version = version
        self.updatedAt = updatedAt
    }
}
