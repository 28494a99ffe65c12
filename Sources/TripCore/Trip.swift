import Foundation

public struct Waypoint: Hashable, Sendable, Codable {
    public let name: String
    public let latitude: Double
    public let longitude: Double

    public init(name: String, latitude: Double, longitude: Double) {
        self.name = name
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// What a client may set on a trip: everything else belongs to the server.
public struct TripDraft: Hashable, Sendable {
    public let name: String
    public let waypoints: [Waypoint]

    public init(name: String, waypoints: [Waypoint]) {
        self.name = name
        self.waypoints = waypoints
    }
}

public struct Trip: Hashable, Sendable {
    public let id: TripID
    public let owner: OwnerID
    public let name: String
    public let waypoints: Waypoints
    public let createdAt: Date
    public let updatedAt: Date
    public let version: Int
    /// Whose it is and the reader's role, when read for someone who may read it; nil as archived or shared.
    public var access: TripAccess?

    public init(
        id: TripID, owner: OwnerID, name: String, waypoints: Waypoints,
        createdAt: Date, updatedAt: Date, version: Int, access: TripAccess? = nil
    ) {
        self.id = id
        self.owner = owner
        self.name = name
        self.waypoints = waypoints
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        self.access = access
    }

    /// A new trip at version 1, with a fresh id.
    public init(_ draft: TripDraft, owner: OwnerID, at now: Date, access: TripAccess? = nil) {
        self.init(
            id: TripID(ObjectID(date: now)), owner: owner, name: draft.name, waypoints: Waypoints(draft.waypoints),
            createdAt: now, updatedAt: now, version: 1, access: access
        )
    }

    /// The same trip as the reader `access` describes sees it.
    public func seen(as access: TripAccess) -> Trip {
        var trip = self
        trip.access = access
        return trip
    }
}

extension Date {
    /// Milliseconds since 1970, as both stores persist dates; rounded to the nearest, so that
    /// `Date(milliseconds: m).milliseconds == m` despite binary floating point.
    public var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    public init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
