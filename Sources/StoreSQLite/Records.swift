import Foundation
import GRDB
import JSON
import TripCore

struct UserRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "user"
    var id: String
    var username: String
    var passwordHash: String
    /// Milliseconds since 1970, like every date column.
    var createdAt: Int64

    var account: Account? {
        guard let id = OwnerID(id) else { return nil }
        return Account(user: User(id: id, username: username, createdAt: Date(milliseconds: createdAt)), passwordHash: passwordHash)
    }
}

/// A trip as one row of `trip`, its waypoints one JSON document; read and written by hand, not
/// through Codable, because every trip route passes through here. A row read keeps its waypoints as
/// bytes: `trip` parses them once the row is off the database thread.
struct TripRow: FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "trip"
    /// The columns in the order `init(row:)` reads them.
    static let columns = "id, ownerId, name, waypoints, createdAt, updatedAt, version"
    let id: String
    let ownerId: String
    let name: String
    let waypoints: [UInt8]
    let createdAt: Int64
    let updatedAt: Int64
    let version: Int

    init(_ trip: Trip) {
        id = trip.id.description
        ownerId = trip.owner.description
        name = trip.name
        waypoints = Self.document(trip.waypoints)
        createdAt = trip.createdAt.milliseconds
        updatedAt = trip.updatedAt.milliseconds
        version = trip.version
    }

    init(row: Row) throws {
        id = row[0]
        ownerId = row[1]
        name = row[2]
        waypoints = try row.withUnsafeData(atIndex: 3) { data in data.map { [UInt8]($0) } ?? [] }
        createdAt = row[4]
        updatedAt = row[5]
        version = row[6]
    }

    /// Waypoints as the one JSON document the `waypoints` column holds.
    static func document(_ waypoints: [Waypoint]) -> [UInt8] {
        var writer = JSONWriter()
        writer.waypoints(waypoints)
        return writer.bytes
    }

    var trip: Trip {
        get throws {
            guard let tripID = TripID(id), let owner = OwnerID(ownerId) else {
                throw Self.corrupt("malformed id in trip row")
            }
            let waypoints: [Waypoint]
            do {
                waypoints = try self.waypoints.withUnsafeBytes { bytes in try [Waypoint](jsonDocument: bytes) }
            } catch let error as JSONParser.Failure {
                throw Self.corrupt("malformed waypoints in trip row: \(error.reason)")
            }
            return Trip(
                id: tripID, owner: owner, name: name, waypoints: waypoints,
                createdAt: Date(milliseconds: createdAt), updatedAt: Date(milliseconds: updatedAt), version: version
            )
        }
    }

    func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["ownerId"] = ownerId
        container["name"] = name
        container["waypoints"] = String(decoding: waypoints, as: UTF8.self)
        container["createdAt"] = createdAt
        container["updatedAt"] = updatedAt
        container["version"] = version
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
