import Foundation
import GRDB
import TripCore

struct UserRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "user"
    var id: String
    var username: String
    var passwordHash: String
    /// Milliseconds since 1970, like every date column.
    var createdAt: Int64

    var account: Account? {
        guard let id = ObjectID(id) else { return nil }
        return Account(user: User(id: id, username: username, createdAt: Date(milliseconds: createdAt)), passwordHash: passwordHash)
    }
}

struct TripRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "trip"
    var id: String
    var ownerId: String
    var name: String
    var waypoints: [Waypoint]
    var createdAt: Int64
    var updatedAt: Int64
    var version: Int

    init(_ trip: Trip) {
        id = trip.id.description
        ownerId = trip.owner.description
        name = trip.name
        waypoints = trip.waypoints
        createdAt = trip.createdAt.milliseconds
        updatedAt = trip.updatedAt.milliseconds
        version = trip.version
    }

    var trip: Trip {
        get throws {
            guard let id = ObjectID(id), let owner = ObjectID(ownerId) else {
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed id in trip row")
            }
            return Trip(
                id: id, owner: owner, name: name, waypoints: waypoints,
                createdAt: Date(milliseconds: createdAt), updatedAt: Date(milliseconds: updatedAt), version: version
            )
        }
    }
}

struct TokenRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "token"
    var digest: String
    var ownerId: String
    var expiresAt: Int64
}
