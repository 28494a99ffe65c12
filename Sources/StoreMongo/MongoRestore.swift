import Foundation
import TripCore

/// Restores one batch of archive records inside one transaction: looks up what the store holds of them, lets
/// `RestorePlan` decide, and writes each kind in one call, trips between their replacements; see
/// `ArchivableStore.restore`.
struct MongoRestore {
    let transaction: MongoDatabase
    let records: [ArchiveRecord]
    let accounts: AccountHashes

    func run() throws {
        let plan = try RestorePlan(records, accounts: accounts, held: try holdings(RestorePlan.lookup(records)))
        var users: [BSONDocument] = []
        var tokens: [AccessToken] = []
        var trips: [(Trip, isNew: Bool)] = []
        var shares: [BSONDocument] = []
        var memberships: [TripMembership] = []
        var invitations: [BSONDocument] = []
        var tombstones: [Tombstone] = []
        var auditEvents: [BSONDocument] = []
        for step in plan.steps {
            switch step {
            case .insert(.user(let account)):
                let user = account.user
                let document = Documents.user(id: user.id, username: user.username, passwordHash: account.passwordHash, createdAt: user.createdAt)
                if let disablement = account.disablement { Documents.disable(document, disablement) }
                users.append(document)
            case .insert(.token(let token)): tokens.append(token)
            case .insert(.trip(let trip)): trips.append((trip, true))
            case .replace(let trip): trips.append((trip, false))
            case .insert(.share(let share, let digest)): shares.append(Documents.share(share, tokenDigest: digest))
            case .insert(.member(let membership)): memberships.append(membership)
            case .insert(.invitation(let invitation, _, let digest)): invitations.append(Documents.invitation(invitation, tokenDigest: digest))
            case .insert(.tombstone(let tombstone)): tombstones.append(tombstone)
            case .insert(.audit(let event)): auditEvents.append(Documents.auditEvent(event))
            }
        }
        try transaction["users"].insert(many: users)
        try restore(tokens)
        try restore(trips)
        try transaction["shares"].insert(many: shares)
        try restore(memberships)
        try transaction["invitations"].insert(many: invitations)
        try restore(tombstones)
        try transaction["audit"].insert(many: auditEvents)
    }

    private func holdings(_ lookup: RestorePlan.Lookup) throws -> RestoreHoldings {
        var held = RestoreHoldings()
        for user in try find("users", ids: lookup.owners.map { .id($0) }, fields: ["passwordHash"]) {
            if let id: OwnerID = user.fields.id("_id"), let hash = user.fields.string("passwordHash") { held.passwordHashes[id] = hash }
        }
        for user in try find("users", among: "usernameKey", lookup.usernames.map { .string($0) }, fields: ["usernameKey"]) {
            if let id: OwnerID = user.fields.id("_id"), let key = user.fields.string("usernameKey") { held.usernames[key] = id }
        }
        held.tokens = Set(try find("tokens", ids: lookup.tokens.map { .string($0) }).compactMap { $0.fields.string("_id") })
        for trip in try find("trips", ids: lookup.trips.map { .id($0) }, fields: ["ownerId", "version"]) {
            let fields = trip.fields
            guard let id: TripID = fields.id("_id"), let owner: OwnerID = fields.id("ownerId"), let version = fields.integer("version")
            else { throw MongoFailure.corrupt(.trip, fields, "malformed trip document") }
            held.trips[id] = (owner, version)
        }
        if !lookup.trips.isEmpty {
            let tombstones = MongoTripStore.ownersTombstones
            tombstones.append("tripId", .document(BSONDocument(["$in": .array(lookup.trips.map { .id($0) })])))
            let projection = BSONDocument(["projection": .document(BSONDocument(["tripId": .int32(1)]))])
            held.tombstones = Set(try transaction["feed"].find(tombstones, options: projection).compactMap { $0.fields.id("tripId") })
        }
        held.shares = Set(try find("shares", ids: lookup.shares.map { .id($0) }).compactMap { $0.fields.id("_id") })
        held.auditEvents = Set(try find("audit", ids: lookup.auditEvents.map { .objectID($0) }).compactMap { $0.fields.objectID("_id") })
        for share in try find("shares", among: "tokenDigest", lookup.shareTokens.map { .string($0) }, fields: ["tokenDigest"]) {
            if let id: ShareID = share.fields.id("_id"), let digest = share.fields.string("tokenDigest") { held.shareTokens[digest] = id }
        }
        let membersOf = Set(lookup.members.map { String($0.prefix(24)) }).compactMap(TripID.init).map { BSONValue.id($0) }
        for trip in try find("trips", ids: membersOf, fields: ["members"]) {
            guard let id: TripID = trip.fields.id("_id") else { continue }
            for member in try Documents.members(trip.fields) { held.members.insert(id.description + member.id.description) }
        }
        held.invitations = Set(try find("invitations", ids: lookup.invitations.map { .id($0) }).compactMap { $0.fields.id("_id") })
        for invitation in try find("invitations", among: "tokenDigest", lookup.invitationTokens.map { .string($0) }, fields: ["tokenDigest"]) {
            if let id: InvitationID = invitation.fields.id("_id"), let digest = invitation.fields.string("tokenDigest") {
                held.invitationTokens[digest] = id
            }
        }
        return held
    }

    /// Each token carries a copy of its owner's user, who may be new in this batch.
    private func restore(_ tokens: [AccessToken]) throws {
        guard !tokens.isEmpty else { return }
        let owners = try find("users", ids: Set(tokens.map(\.owner)).map { .id($0) }, fields: nil).map { try Documents.account($0).user }
        let byID = Dictionary(owners.map { ($0.id, $0) }) { first, _ in first }
        try transaction["tokens"].insert(many: try tokens.map { token in
            guard let owner = byID[token.owner] else { throw MongoFailure(message: "token of a user the plan found") }
            return Documents.token(token, user: owner)
        })
    }

    /// New trips are inserted and older versions replaced, each taking its owner's next change number, and a
    /// replaced trip's members their next. A trip twice in one batch is new only the first time; the inserts gathered
    /// so far go before its replacement. A revived trip's tombstone in its owner's feed gives way to the trip.
    private func restore(_ trips: [(Trip, isNew: Bool)]) throws {
        guard !trips.isEmpty else { return }
        let revived = trips.filter(\.isNew).map { BSONValue.id($0.0.id) }
        if !revived.isEmpty {
            let tombstones = MongoTripStore.ownersTombstones
            tombstones.append("tripId", .document(BSONDocument(["$in": .array(revived)])))
            try transaction["feed"].delete(tombstones, many: true)
        }
        var seqs = try changeNumbers(for: trips.map(\.0.owner), adding: trips.filter(\.isNew).map(\.0.owner))
        let names = try ownerNames(Set(trips.map(\.0.owner)))
        let collection = transaction["trips"]
        var documents: [BSONDocument] = []
        var entries: [BSONDocument] = []
        for (trip, isNew) in trips {
            guard let ownerName = names[trip.owner] else { throw MongoFailure(message: "trip of a user the plan found") }
            let seq = seqs.next(for: trip.owner)
            if isNew {
                documents.append(Documents.trip(trip, ownerName: ownerName, waypoints: try trip.waypoints.decoded()))
                entries.append(BSONDocument([
                    "readerId": .id(trip.owner), "tripId": .id(trip.id), "changeSeq": .int64(seq), "ownsTrip": .bool(true),
                ]))
            } else {
                try collection.insert(many: documents)
                try transaction["feed"].insert(many: entries)
                documents = []
                entries = []
                let fields = Documents.tripFields(trip, ownerName: ownerName, waypoints: try trip.waypoints.decoded())
                guard let replaced = try collection.findOneAndUpdate(BSONDocument(["_id": .id(trip.id)]), BSONDocument(["$set": .document(fields)]))
                else { throw MongoFailure(message: "replaced trip the plan found") }
                try MongoTripStore.writeEntry(of: trip.id, for: trip.owner, seq: seq, ownsTrip: true, in: transaction)
                for member in try Documents.members(replaced.fields) {
                    try MongoTripStore.recordChange(of: trip.id, for: member.id, in: transaction)
                }
            }
        }
        try collection.insert(many: documents)
        try transaction["feed"].insert(many: entries)
    }

    /// Adds the members to their trips' lists, in the order they joined, each taking the member's next change number.
    private func restore(_ memberships: [TripMembership]) throws {
        guard !memberships.isEmpty else { return }
        let names = try ownerNames(Set(memberships.map(\.member)))
        let trips = transaction["trips"]
        for (trip, joining) in Dictionary(grouping: memberships, by: \.trip) {
            guard let document = try trips.findOne(BSONDocument(["_id": .id(trip)])) else {
                throw MongoFailure(message: "a member's trip the plan found")
            }
            let added = try joining.map { membership in
                guard let username = names[membership.member] else { throw MongoFailure(message: "a member the plan found") }
                return StoredMember(id: membership.member, username: username, role: membership.role, joinedAt: membership.joinedAt)
            }
            let members = (try Documents.members(document.fields) + added).sorted { ($0.joinedAt, $0.username) < ($1.joinedAt, $1.username) }
            _ = try trips.updateOne(
                BSONDocument(["_id": .id(trip)]), BSONDocument(["$set": .document(BSONDocument(["members": Documents.members(members)]))]))
            for member in added { try MongoTripStore.recordChange(of: trip, for: member.id, in: transaction) }
        }
    }

    /// The usernames of `owners`, who may be new in this batch.
    private func ownerNames(_ owners: Set<OwnerID>) throws -> [OwnerID: String] {
        var names: [OwnerID: String] = [:]
        for user in try find("users", ids: owners.map { .id($0) }, fields: ["username"]) {
            if let id: OwnerID = user.fields.id("_id"), let username = user.fields.string("username") { names[id] = username }
        }
        return names
    }

    private func restore(_ tombstones: [Tombstone]) throws {
        guard !tombstones.isEmpty else { return }
        var seqs = try changeNumbers(for: tombstones.map(\.owner), adding: [])
        try transaction["feed"].insert(many: tombstones.map { Documents.tombstone($0, change: seqs.next(for: $0.owner)) })
    }

    /// The next change numbers of each owner, one per entry of `changes`, counting `adding` new trips.
    private func changeNumbers(for changes: [OwnerID], adding added: [OwnerID]) throws -> ChangeNumbers {
        var numbers = ChangeNumbers()
        let changeCounts = Dictionary(changes.map { ($0, Int64(1)) }, uniquingKeysWith: +)
        let addedCounts = Dictionary(added.map { ($0, Int64(1)) }, uniquingKeysWith: +)
        for (owner, count) in changeCounts {
            let increments = BSONDocument(["changeSeq": .int64(count), "tripCount": .int64(addedCounts[owner] ?? 0)])
            guard let user = try transaction["users"].findOneAndUpdate(
                BSONDocument(["_id": .id(owner)]), BSONDocument(["$inc": .document(increments)])),
                let last = user.fields.integer("changeSeq")
            else { throw MongoFailure(message: "user without changeSeq", corrupt: (.account, owner.description)) }
            numbers.next[owner] = Int64(last) - count + 1
        }
        return numbers
    }

    private struct ChangeNumbers {
        var next: [OwnerID: Int64] = [:]

        mutating func next(for owner: OwnerID) -> Int64 {
            defer { next[owner, default: 0] += 1 }
            return next[owner, default: 0]
        }
    }

    /// The documents whose `_id` is among `ids`, projected to `fields` and the `_id`; whole when `fields` is nil.
    private func find(_ collection: String, ids: [BSONValue], fields: [String]? = ["_id"]) throws -> [BSONDocument] {
        try find(collection, among: "_id", ids, fields: fields)
    }

    private func find(_ collection: String, among key: String, _ values: [BSONValue], fields: [String]?) throws -> [BSONDocument] {
        guard !values.isEmpty else { return [] }
        let options = fields.map { fields in
            let projection = BSONDocument()
            for field in fields { projection.append(field, .int32(1)) }
            return BSONDocument(["projection": .document(projection)])
        }
        return try transaction[collection].find(Self.among(key, values), options: options)
    }

    private static func among(_ key: String, _ values: [BSONValue]) -> BSONDocument {
        BSONDocument([key: .document(BSONDocument(["$in": .array(values)]))])
    }
}
