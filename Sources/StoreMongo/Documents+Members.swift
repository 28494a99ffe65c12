import Foundation
import TripCore

/// A member as a trip document keeps it: `{u: id, n: username, r: role, j: joined}`.
struct StoredMember: Sendable {
    let id: OwnerID
    let username: String
    let role: TripRole
    let joinedAt: Date

    var member: Member { Member(username: username, role: role, joinedAt: joinedAt) }

    var document: BSONValue {
        .document(BSONDocument(["u": .id(id), "n": .string(username), "r": .string(role.rawValue), "j": .date(joinedAt)]))
    }
}

extension Documents {
    /// The members of a trip document, in the order they joined.
    static func members(_ fields: BSONFields) throws(MongoFailure) -> [StoredMember] {
        guard let members = fields.array("members", member) else { throw MongoFailure.corrupt(.trip, fields, "malformed members") }
        return members
    }

    private static func member(_ element: BSONElement) -> StoredMember? {
        guard element.type == .document else { return nil }
        var id: ObjectID?
        var username: String?
        var role: TripRole?
        var joinedAt: Date?
        let wellFormed = BSONElement.forEach(in: element.value) { field in
            if field.hasKey("u") {
                id = field.objectID
            } else if field.hasKey("n") {
                username = field.string
            } else if field.hasKey("r") {
                role = field.string.flatMap(TripRole.init(rawValue:))
            } else if field.hasKey("j") {
                joinedAt = field.date
            }
        }
        guard wellFormed, let id, let username, let role, role != .owner, let joinedAt else { return nil }
        return StoredMember(id: OwnerID(id), username: username, role: role, joinedAt: joinedAt)
    }

    static func members(_ members: [StoredMember]) -> BSONValue {
        .array(members.map(\.document))
    }

    /// The trip as `reader` sees it; nil access when the reader is neither its owner nor a member.
    static func trip(_ fields: BSONFields, reader: OwnerID) throws(MongoFailure) -> Trip {
        let trip = try trip(fields)
        guard let ownerName = fields.string("ownerName") else { throw MongoFailure.corrupt(.trip, fields, "trip without ownerName") }
        if trip.owner == reader { return trip.seen(as: TripAccess(ownerName: ownerName, role: .owner)) }
        guard let role = try members(fields).first(where: { $0.id == reader })?.role else { return trip }
        return trip.seen(as: TripAccess(ownerName: ownerName, role: role))
    }

    static func invitation(_ invitation: Invitation, tokenDigest: String) -> BSONDocument {
        BSONDocument([
            "_id": .id(invitation.id), "tripId": .id(invitation.trip), "role": .string(invitation.role.rawValue),
            "tokenDigest": .string(tokenDigest), "createdAt": .date(invitation.createdAt), "expiresAt": .date(invitation.expiresAt),
        ])
    }

    static func invitation(_ fields: BSONFields) throws(MongoFailure) -> Invitation {
        guard let id: InvitationID = fields.id("_id"), let trip: TripID = fields.id("tripId"),
            let role = fields.string("role").flatMap(TripRole.init(rawValue:)), role != .owner,
            let createdAt = fields.date("createdAt"), let expiresAt = fields.date("expiresAt")
        else { throw MongoFailure.corrupt(.invitation, fields, "malformed invitation document") }
        return Invitation(id: id, trip: trip, role: role, createdAt: createdAt, expiresAt: expiresAt)
    }
}
