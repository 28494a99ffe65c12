import Foundation
import TripCore

/// How users and trips look as MongoDB documents.
enum Documents {
    static func user(id: OwnerID, username: String, passwordHash: String, createdAt: Date) -> BSONDocument {
        BSONDocument([
            "_id": .id(id), "username": .string(username), "usernameKey": .string(usernameKey(username)),
            "passwordHash": .string(passwordHash), "createdAt": .date(createdAt),
            "tripCount": .int64(0), "changeSeq": .int64(0), "purgedThrough": .int64(0),
        ])
    }

    /// The username in ASCII lower case, unique among users, so that names differing only in case clash.
    static func usernameKey(_ username: String) -> String {
        username.lowercasedASCII
    }

    static func account(_ document: BSONDocument) throws -> Account {
        let fields = document.fields
        guard let id: OwnerID = fields.id("_id"), let username = fields.string("username"),
            let hash = fields.string("passwordHash"), let createdAt = fields.date("createdAt")
        else { throw MongoFailure.corrupt(.account, fields, "malformed user document") }
        return Account(user: User(id: id, username: username, createdAt: createdAt), passwordHash: hash, disablement: disablement(fields))
    }

    static func disablement(_ user: BSONFields) -> Disablement? {
        guard let since = user.date("disabledAt"), let reason = user.string("disabledReason") else { return nil }
        return Disablement(since: since, reason: reason)
    }

    /// A token, with a copy of what a bearer request needs of its user: a username never changes, and the token goes
    /// when the user does.
    static func token(_ token: AccessToken, user: User) -> BSONDocument {
        let document = BSONDocument([
            "_id": .string(token.digest), "userId": .id(token.owner), "expiresAt": .date(token.expiresAt),
            "username": .string(user.username), "userCreatedAt": .date(user.createdAt),
        ])
        if user.isDisabled { document.append("userDisabled", .int32(1)) }
        return document
    }

    /// The user a token names, from its copy; nil for a malformed token.
    static func tokenUser(_ token: BSONFields) -> User? {
        guard let id: OwnerID = token.id("userId"), let username = token.string("username"),
            let createdAt = token.date("userCreatedAt")
        else { return nil }
        return User(id: id, username: username, createdAt: createdAt, isDisabled: token.integer("userDisabled") == 1)
    }

    /// A new trip, with the waypoints it was made from and no members yet.
    static func trip(_ trip: Trip, ownerName: String, waypoints list: [Waypoint]) -> BSONDocument {
        let document = tripFields(trip, ownerName: ownerName, waypoints: list)
        document.append("members", .array([]))
        return document
    }

    /// A trip's own fields, without its members: what a restore sets on a trip it replaces.
    static func tripFields(_ trip: Trip, ownerName: String, waypoints list: [Waypoint]) -> BSONDocument {
        BSONDocument([
            "_id": .id(trip.id), "ownerId": .id(trip.owner), "ownerName": .string(ownerName), "name": .string(trip.name),
            "waypoints": waypoints(list), "createdAt": .date(trip.createdAt),
            "updatedAt": .date(trip.updatedAt), "version": .int64(Int64(trip.version)),
        ])
    }

    static func share(_ share: Share, tokenDigest: String) -> BSONDocument {
        let document = BSONDocument([
            "_id": .id(share.id), "tripId": .id(share.trip), "ownerId": .id(share.owner), "tokenDigest": .string(tokenDigest),
            "createdAt": .date(share.createdAt),
        ])
        if let expiresAt = share.expiresAt { document.append("expiresAt", .date(expiresAt)) }
        return document
    }

    static func share(_ document: BSONDocument) throws -> Share {
        let fields = document.fields
        guard let id: ShareID = fields.id("_id"), let trip: TripID = fields.id("tripId"), let owner: OwnerID = fields.id("ownerId"),
            let createdAt = fields.date("createdAt")
        else { throw MongoFailure.corrupt(.share, fields, "malformed share document") }
        return Share(id: id, trip: trip, owner: owner, createdAt: createdAt, expiresAt: fields.date("expiresAt"))
    }

    /// A deleted trip's place in its owner's feed.
    static func tombstone(_ tombstone: Tombstone, change: Int64) -> BSONDocument {
        BSONDocument([
            "readerId": .id(tombstone.owner), "tripId": .id(tombstone.trip), "changeSeq": .int64(change),
            "deletedAt": .date(tombstone.deletedAt), "ownsTrip": .bool(true),
        ])
    }

    static func waypoints(_ waypoints: [Waypoint]) -> BSONValue {
        .array(waypoints.map { waypoint in
            .document(BSONDocument([
                "name": .string(waypoint.name), "latitude": .double(waypoint.latitude),
                "longitude": .double(waypoint.longitude),
            ]))
        })
    }

    /// A waypoint document, read in one walk over its fields.
    private static func waypoint(_ element: BSONElement) -> Waypoint? {
        guard element.type == .document else { return nil }
        var name: String?
        var latitude: Double?
        var longitude: Double?
        let wellFormed = BSONElement.forEach(in: element.value) { field in
            if field.hasKey("name") {
                name = field.string
            } else if field.hasKey("latitude") {
                latitude = field.double
            } else if field.hasKey("longitude") {
                longitude = field.double
            }
        }
        guard wellFormed, let name, let latitude, let longitude else { return nil }
        return Waypoint(name: name, latitude: latitude, longitude: longitude)
    }

    static func trip(_ document: BSONDocument) throws(MongoFailure) -> Trip {
        try trip(document.fields)
    }

    static func trip(_ fields: BSONFields) throws(MongoFailure) -> Trip {
        guard let id: TripID = fields.id("_id"), let owner: OwnerID = fields.id("ownerId"), let name = fields.string("name"),
            let waypoints = fields.array("waypoints", waypoint), let createdAt = fields.date("createdAt"),
            let updatedAt = fields.date("updatedAt"), let version = fields.integer("version")
        else { throw MongoFailure.corrupt(.trip, fields, "malformed trip document") }
        return Trip(
            id: id, owner: owner, name: name, waypoints: Waypoints(waypoints), createdAt: createdAt, updatedAt: updatedAt,
            version: version
        )
    }
}
