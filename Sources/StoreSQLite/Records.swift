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
    var disabledAt: Int64?
    var disabledReason: String?

    var account: Account {
        get throws {
            guard let owner = OwnerID(id) else { throw StoreError.corrupt(.account, id, "id is not an object id") }
            return Account(
                user: User(id: owner, username: username, createdAt: Date(milliseconds: createdAt)), passwordHash: passwordHash,
                disablement: disablement)
        }
    }

    var disablement: Disablement? {
        guard let disabledAt, let disabledReason else { return nil }
        return Disablement(since: Date(milliseconds: disabledAt), reason: disabledReason)
    }
}

/// A trip as one row of `trip`, its waypoints one JSON document in the spelling responses use; read and
/// written by hand, not through Codable, because every trip route passes through here.
struct TripRow: FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "trip"
    /// The columns in the order `init(row:)` reads them.
    static let columns = "id, ownerId, name, waypoints, createdAt, updatedAt, version"
    let id: TripID
    let ownerId: OwnerID
    let name: String
    let waypoints: [UInt8]
    let createdAt: Int64
    let updatedAt: Int64
    let version: Int

    /// `columns`, each qualified by `table`, for statements that join.
    static func columns(of table: String) -> String {
        columns.split(separator: ", ").map { "\(table).\($0)" }.joined(separator: ", ")
    }

    init(_ trip: Trip) {
        id = trip.id
        ownerId = trip.owner
        name = trip.name
        waypoints = trip.waypoints.json
        createdAt = trip.createdAt.milliseconds
        updatedAt = trip.updatedAt.milliseconds
        version = trip.version
    }

    init(row: Row) throws {
        try self.init(row: row, at: 0)
    }

    /// Reads `columns` from `index` on.
    init(row: Row, at index: Int) throws {
        id = TripID(try row.decode(IDColumn.self, atIndex: index).objectID)
        ownerId = OwnerID(try row.decode(IDColumn.self, atIndex: index + 1).objectID)
        name = row[index + 2]
        waypoints = try row.decode(UTF8Column.self, atIndex: index + 3).bytes
        createdAt = row[index + 4]
        updatedAt = row[index + 5]
        version = row[index + 6]
    }

    /// Its name and waypoints as stored: how a read of trips measures it against its `ReadBound`.
    var storedSize: Int { name.utf8.count + waypoints.count }

    var trip: Trip {
        get throws {
            let waypoints: Waypoints
            do {
                waypoints = try Waypoints(stored: self.waypoints)
            } catch {
                throw StoreError.corrupt(.trip, id, "malformed waypoints: \(error.reason)")
            }
            return Trip(
                id: id, owner: ownerId, name: name, waypoints: waypoints,
                createdAt: Date(milliseconds: createdAt), updatedAt: Date(milliseconds: updatedAt), version: version
            )
        }
    }

    func encode(to container: inout PersistenceContainer) {
        container["id"] = id.description
        container["ownerId"] = ownerId.description
        container["name"] = name
        container["waypoints"] = String(decoding: waypoints, as: UTF8.self)
        container["createdAt"] = createdAt
        container["updatedAt"] = updatedAt
        container["version"] = version
    }
}

/// A trip row with its owner's username and the reader's role after it, as `SQLiteTripStore.seenTripColumns` selects.
struct SeenTripRow: Sendable {
    let trip: TripRow
    let ownerName: String
    let role: TripRole

    /// Reads the columns from `index` on.
    init(row: Row, at index: Int) throws {
        trip = try TripRow(row: row, at: index)
        ownerName = row[index + 7]
        guard let role = TripRole(rawValue: row[index + 8] ?? "") else {
            throw StoreError.corrupt(.member, trip.id, "no role for the reader")
        }
        self.role = role
    }

    var seen: Trip {
        get throws { try trip.trip.seen(as: TripAccess(ownerName: ownerName, role: role)) }
    }
}

struct TokenRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "token"
    var digest: String
    var ownerId: String
    var expiresAt: Int64
}
