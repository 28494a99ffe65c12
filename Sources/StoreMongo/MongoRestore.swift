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
            case .insert(.tombstone(let tombstone)): tombstones.append(tombstone)
            case .insert(.audit(let event)): auditEvents.append(Documents.auditEvent(event))
            }
        }
        try transaction["users"].insert(many: users)
        try restore(tokens)
        try restore(trips)
        try transaction["shares"].insert(many: shares)
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
        held.tombstones = Set(try find("tombstones", ids: lookup.trips.map { .id($0) }).compactMap { $0.fields.id("_id") })
        held.shares = Set(try find("shares", ids: lookup.shares.map { .id($0) }).compactMap { $0.fields.id("_id") })
        held.auditEvents = Set(try find("audit", ids: lookup.auditEvents.map { .objectID($0) }).compactMap { $0.fields.objectID("_id") })
        for share in try find("shares", among: "tokenDigest", lookup.shareTokens.map { .string($0) }, fields: ["tokenDigest"]) {
            if let id: ShareID = share.fields.id("_id"), let digest = share.fields.string("tokenDigest") { held.shareTokens[digest] = id }
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

    /// New trips are inserted and older versions replaced, each taking its owner's next change number. A trip twice in
    /// one batch is new only the first time; the inserts gathered so far go before its replacement.
    private func restore(_ trips: [(Trip, isNew: Bool)]) throws {
        guard !trips.isEmpty else { return }
        var seqs = try changeNumbers(for: trips.map(\.0.owner), adding: trips.filter(\.isNew).map(\.0.owner))
        let collection = transaction["trips"]
        var documents: [BSONDocument] = []
        for (trip, isNew) in trips {
            let document = Documents.trip(trip, waypoints: try trip.waypoints.decoded(), change: seqs.next(for: trip.owner))
            if isNew {
                documents.append(document)
            } else {
                try collection.insert(many: documents)
                documents = []
                try collection.updateOne(BSONDocument(["_id": .id(trip.id)]), BSONDocument(["$set": .document(document)]))
            }
        }
        try collection.insert(many: documents)
        let revived = trips.filter(\.isNew).map { BSONValue.id($0.0.id) }
        if !revived.isEmpty {
            try transaction["tombstones"].delete(Self.among("_id", revived), many: true)
        }
    }

    private func restore(_ tombstones: [Tombstone]) throws {
        guard !tombstones.isEmpty else { return }
        var seqs = try changeNumbers(for: tombstones.map(\.owner), adding: [])
        try transaction["tombstones"].insert(many: tombstones.map { tombstone in
            let document = Documents.tombstone(
                owner: tombstone.owner, change: seqs.next(for: tombstone.owner), deletedAt: tombstone.deletedAt)
            document.append("_id", .id(tombstone.trip))
            return document
        })
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
