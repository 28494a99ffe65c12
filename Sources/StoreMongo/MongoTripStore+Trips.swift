import Foundation
import TripCore

/// A trip document names its owner and holds its members (`{u, n, r, j}`), so that one query reads a trip and checks
/// the reader may. Every trip write is a transaction that also takes a change number of each reader whose feed it
/// changes, and bumps the owner's `tripCount` as it adds or removes a trip: see `MongoTripStore+Feed.swift`.
extension MongoTripStore {
    public func createTrip(_ draft: TripDraft, owner: OwnerID, limit: Int) async throws -> Trip {
        let now = clock.now
        return try await inTransaction { transaction in
            let users = transaction["users"]
            // The quota stays here, atomic in this `$lt` bump; AtomicStoreStepsContractTests states it for every store.
            let room = BSONDocument(["_id": .id(owner), "tripCount": .document(BSONDocument(["$lt": .int64(Int64(limit))]))])
            guard case let (seq, user)? = try Self.nextChange(room, in: users, tripsAdded: 1) else {
                guard try users.findOne(BSONDocument(["_id": .id(owner)])) != nil else { throw StoreError.unknownOwner }
                throw StoreError.tripLimitReached
            }
            guard let ownerName = user.string("username") else { throw MongoFailure.corrupt(.account, user, "user without username") }
            let trip = Trip(draft, owner: owner, at: now, access: TripAccess(ownerName: ownerName, role: .owner))
            try transaction["trips"].insert(Documents.trip(trip, ownerName: ownerName, waypoints: draft.waypoints))
            try Self.writeEntry(of: trip.id, for: owner, seq: seq, ownsTrip: true, in: transaction)
            return trip
        }
    }

    /// Measures a trip by its document's size.
    public func trips(reader: OwnerID, role: TripRole?, after: TripID?, bound: ReadBound) async throws -> BoundedRead<Trip> {
        try await on("trips") { trips in
            let filter = BSONDocument()
            switch role {
            case nil: filter.append("$or", Self.readers(reader))
            case .owner: filter.append("ownerId", .id(reader))
            case .editor, .viewer:
                let member = BSONDocument(["u": .id(reader), "r": .string(role!.rawValue)])
                filter.append("members", .document(BSONDocument(["$elemMatch": .document(member)])))
            }
            if let after { filter.append("_id", .document(BSONDocument(["$gt": .id(after)]))) }
            return try trips.find(filter, sortedBy: "_id", bound: bound) { document throws(MongoFailure) in
                try BSONFields.borrowing(document) { fields throws(MongoFailure) in try Documents.trip(fields, reader: reader) }
            }
        }
    }

    public func trip(_ id: TripID, reader: OwnerID) async throws -> Trip {
        let found = try await on("trips") { trips in
            try trips.findOne(Self.readable(id, by: reader)).map { try Documents.trip($0.fields, reader: reader) }
        }
        guard let found else { throw StoreError.notFound(.trip, id) }
        return found
    }

    /// One conditional update on `{_id, owner or editor[, version]}`; when it matches nothing, a read tells a missing
    /// trip from a viewer and from a stale version. Then every reader's feed takes the change.
    public func replaceTrip(
        _ id: TripID, editor: OwnerID, with draft: TripDraft, expectedVersion: Int?
    ) async throws -> Trip {
        let now = clock.now
        return try await inTransaction { transaction -> Trip in
            let trips = transaction["trips"]
            let update = BSONDocument([
                "$set": .document(BSONDocument([
                    "name": .string(draft.name), "waypoints": Documents.waypoints(draft.waypoints), "updatedAt": .date(now),
                ])),
                "$inc": .document(BSONDocument(["version": .int64(1)])),
            ])
            let editable = BSONDocument(["_id": .id(id)])
            let editorRole = BSONDocument(["u": .id(editor), "r": .string(TripRole.editor.rawValue)])
            editable.append("$or", .array([
                .document(BSONDocument(["ownerId": .id(editor)])),
                .document(BSONDocument(["members": .document(BSONDocument(["$elemMatch": .document(editorRole)]))])),
            ]))
            if let expectedVersion { editable.append("version", .int64(Int64(expectedVersion))) }
            guard let document = try trips.findOneAndUpdate(editable, update) else {
                guard let current = try trips.findOne(Self.readable(id, by: editor)) else { throw StoreError.notFound(.trip, id) }
                throw try Documents.trip(current.fields, reader: editor).access?.role.mayEdit == true
                    ? StoreError.versionConflict : StoreError.forbidden
            }
            let fields = document.fields
            let trip = try Documents.trip(fields, reader: editor)
            guard try Self.recordChange(of: id, for: trip.owner, ownsTrip: true, in: transaction) else {
                throw MongoFailure.corrupt(.trip, fields, "trip of an owner without an account")
            }
            for member in try Documents.members(fields) {
                try Self.recordChange(of: id, for: member.id, in: transaction)
            }
            return trip
        }
    }

    /// One conditional delete on `{_id, ownerId[, version]}`, with the trip's shares and invitations, and a tombstone
    /// in each reader's feed.
    public func deleteTrip(_ id: TripID, owner: OwnerID, expectedVersion: Int?) async throws {
        let now = clock.now
        try await inTransaction { transaction in
            let trips = transaction["trips"]
            let document = try Self.ownedTrip(id, owner: owner, in: trips)
            guard try trips.delete(Self.owned(id, owner, version: expectedVersion)) == 1 else { throw StoreError.versionConflict }
            guard case let (seq, _)? = try Self.nextChange(BSONDocument(["_id": .id(owner)]), in: transaction["users"], tripsAdded: -1) else {
                throw MongoFailure.corrupt(.trip, document.fields, "trip of an owner without an account")
            }
            try Self.writeEntry(of: id, for: owner, seq: seq, ownsTrip: true, deletedAt: now, in: transaction)
            for member in try Documents.members(document.fields) {
                try Self.recordChange(of: id, for: member.id, deletedAt: now, in: transaction)
            }
            try transaction["shares"].delete(BSONDocument(["tripId": .id(id)]), many: true)
            try transaction["invitations"].delete(BSONDocument(["tripId": .id(id)]), many: true)
        }
    }

    static func owned(_ id: TripID, _ owner: OwnerID, version: Int? = nil) -> BSONDocument {
        let filter = BSONDocument(["_id": .id(id), "ownerId": .id(owner)])
        if let version { filter.append("version", .int64(Int64(version))) }
        return filter
    }
}
