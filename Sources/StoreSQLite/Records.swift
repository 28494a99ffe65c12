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

/// A trip as one row of `trip`, its waypoints one JSON document; read and written by hand, not
/// through Codable, because every trip route passes through here.
struct TripRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "trip"
    /// The columns in the order `init(row:)` reads them.
    static let columns = "id, ownerId, name, waypoints, createdAt, updatedAt, version"
    let trip: Trip

    init(_ trip: Trip) {
        self.trip = trip
    }

    init(row: Row) throws {
        guard let id = ObjectID(row[0] as String), let owner = ObjectID(row[1] as String) else {
            throw Self.corrupt("malformed id in trip row")
        }
        let waypoints = try row.withUnsafeData(atIndex: 3) { data in
            do {
                return try (data ?? Data()).withUnsafeBytes { bytes in try [Waypoint](jsonDocument: bytes) }
            } catch let error as JSONParser.Failure {
                throw Self.corrupt("malformed waypoints in trip row: \(error.reason)")
            }
        }
        trip = Trip(
            id: id, owner: owner, name: row[2], waypoints: waypoints,
            createdAt: Date(milliseconds: row[4]), updatedAt: Date(milliseconds: row[5]), version: row[6]
        )
    }

    func encode(to container: inout PersistenceContainer) {
        var waypoints = JSONWriter()
        waypoints.waypoints(trip.waypoints)
        container["id"] = trip.id.description
        container["ownerId"] = trip.owner.description
        container["name"] = trip.name
        container["waypoints"] = String(decoding: waypoints.bytes, as: UTF8.self)
        container["createdAt"] = trip.createdAt.milliseconds
        container["updatedAt"] = trip.updatedAt.milliseconds
        container["version"] = trip.version
    }

    private static func corrupt(_ message: String) -> DatabaseError {
        DatabaseError(resultCode: .SQLITE_CORRUPT, message: message)
    }
}

struct TokenRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "token"
    var digest: String
    var ownerId: String
    var expiresAt: Int64
}
