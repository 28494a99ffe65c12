import Foundation
import TripCore

/// Restores one batch of archive records inside one transaction, kind by kind; see `ArchivableStore.restore`.
struct MongoRestore {
    let transaction: MongoDatabase
    let records: [ArchiveRecord]
    let accounts: AccountHashes

    func run() throws {
        var users: [(Int, Account)] = []
        var tokens: [(Int, AccessToken)] = []
        var trips: [(Int, Trip)] = []
        var shares: [(Int, Share, String)] = []
        var tombstones: [(Int, Tombstone)] = []
        for (index, record) in records.enumerated() {
            switch record {
            case .user(let account): users.append((index, account))
            case .token(let token): tokens.append((index, token))
            case .trip(let trip): trips.append((index, trip))
            case .share(let share, let digest): shares.append((index, share, digest))
            case .tombstone(let tombstone): tombstones.append((index, tombstone))
            }
        }
        try restore(users)
        try requireAccounts()
        try restore(tokens)
        try restore(trips)
        try restore(shares)
        try restore(tombstones)
    }

    private func restore(_ users: [(Int, Account)]) throws {
        let collection = transaction["users"]
        for (index, account) in users where try collection.findOne(BSONDocument(["_id": .id(account.user.id)])) == nil {
            let user = account.user
            do {
                try collection.insert(
                    Documents.user(id: user.id, username: user.username, passwordHash: account.passwordHash, createdAt: user.createdAt))
            } catch {
                guard error.isDuplicateKey else { throw error }
                throw RestoreConflict(index: index, reason: "username \(user.username) already exists under another id")
            }
        }
    }

    /// Refuses the first record, in `Kind` order, that `accounts` may not add to its owner's account.
    private func requireAccounts() throws {
        let owned = records.indices.compactMap { index in records[index].owner.map { (index, $0) } }
            .sorted { (records[$0.0].kind, $0.0) < (records[$1.0].kind, $1.0) }
        guard !owned.isEmpty else { return }
        var stored: [OwnerID: String] = [:]
        let users = try transaction["users"].find(
            Self.among(Set(owned.map(\.1)).map { .id($0) }),
            options: BSONDocument(["projection": .document(BSONDocument(["passwordHash": .int32(1)]))]))
        for user in users {
            if let id: OwnerID = user.fields.id("_id"), let hash = user.fields.string("passwordHash") { stored[id] = hash }
        }
        for (index, owner) in owned {
            if let refusal = accounts.refusal(records[index], stored: stored[owner]) {
                throw RestoreConflict(index: index, reason: refusal)
            }
        }
    }

    private func restore(_ tokens: [(Int, AccessToken)]) throws {
        guard !tokens.isEmpty else { return }
        let stored = Set(try find("tokens", ids: tokens.map { .string($0.1.digest) }).compactMap { $0.fields.string("_id") })
        let owners = try transaction["users"].find(Self.among(Set(tokens.map(\.1.owner)).map { .id($0) })).map { user in
            try Documents.account(user).user
        }
        let ownersByID = Dictionary(owners.map { ($0.id, $0) }) { first, _ in first }
        var added = Set<String>()
        var documents: [BSONDocument] = []
        for (index, token) in tokens where !stored.contains(token.digest) && added.insert(token.digest).inserted {
            guard let owner = ownersByID[token.owner] else {
                throw RestoreConflict(index: index, reason: "token names user \(token.owner), who does not exist")
            }
            documents.append(Documents.token(token, user: owner))
        }
        try transaction["tokens"].insert(many: documents)
    }

    /// New trips are inserted and older versions replaced, each taking its owner's next change number. A trip twice in
    /// one batch is new only the first time; the inserts gathered so far go before its replacement.
    private func restore(_ trips: [(Int, Trip)]) throws {
        guard !trips.isEmpty else { return }
        var stored: [TripID: (owner: OwnerID, version: Int)] = [:]
        for document in try find("trips", ids: trips.map { .id($0.1.id) }) {
            let fields = document.fields
            guard let id: TripID = fields.id("_id"), let owner: OwnerID = fields.id("ownerId"),
                let version = fields.integer("version")
            else { throw MongoFailure(message: "malformed trip document") }
            stored[id] = (owner, version)
        }
        let owners = try existingOwners(trips.map(\.1.owner))
        var inserted: [(Trip, isNew: Bool)] = []
        for (index, trip) in trips {
            if let held = stored[trip.id] {
                guard held.owner == trip.owner else {
                    throw RestoreConflict(index: index, reason: "trip \(trip.id) belongs to another user")
                }
                guard trip.version > held.version else { continue }
            }
            guard owners.contains(trip.owner) else {
                throw RestoreConflict(index: index, reason: "trip \(trip.id) names user \(trip.owner), who does not exist")
            }
            inserted.append((trip, stored[trip.id] == nil))
            stored[trip.id] = (trip.owner, trip.version)
        }
        var seqs = try changeNumbers(
            for: inserted.map(\.0.owner), adding: inserted.filter(\.isNew).map(\.0.owner))
        let collection = transaction["trips"]
        var documents: [BSONDocument] = []
        for (trip, isNew) in inserted {
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
        let revived = inserted.filter(\.isNew).map { BSONValue.id($0.0.id) }
        if !revived.isEmpty {
            try transaction["tombstones"].delete(Self.among(revived), many: true)
        }
    }

    private func restore(_ shares: [(Int, Share, String)]) throws {
        guard !shares.isEmpty else { return }
        let stored = Set(try find("shares", ids: shares.map { .id($0.1.id) }).compactMap { $0.fields.id("_id") as ShareID? })
        var holders: [TripID: OwnerID] = [:]
        let trips = try transaction["trips"].find(
            BSONDocument(["_id": .document(BSONDocument(["$in": .array(shares.map { .id($0.1.trip) })]))]),
            options: BSONDocument(["projection": .document(BSONDocument(["ownerId": .int32(1)]))]))
        for trip in trips {
            let fields = trip.fields
            if let id: TripID = fields.id("_id"), let owner: OwnerID = fields.id("ownerId") { holders[id] = owner }
        }
        let collection = transaction["shares"]
        for (index, share, digest) in shares where !stored.contains(share.id) {
            guard holders[share.trip] == share.owner else {
                throw RestoreConflict(
                    index: index, reason: "share \(share.id) is of trip \(share.trip), which user \(share.owner) does not hold")
            }
            do {
                try collection.insert(Documents.share(share, tokenDigest: digest))
            } catch {
                guard error.isDuplicateKey else { throw error }
                throw RestoreConflict(index: index, reason: "share \(share.id) has the token of another share")
            }
        }
    }

    /// A tombstone is kept only for a trip the store has never seen, live or deleted.
    private func restore(_ tombstones: [(Int, Tombstone)]) throws {
        guard !tombstones.isEmpty else { return }
        let ids = tombstones.map { BSONValue.id($0.1.trip) }
        let seen = Set((try find("tombstones", ids: ids) + find("trips", ids: ids)).compactMap { $0.fields.id("_id") as TripID? })
        let owners = try existingOwners(tombstones.map(\.1.owner))
        var kept: [Tombstone] = []
        var added = Set<TripID>()
        for (index, tombstone) in tombstones where !seen.contains(tombstone.trip) && added.insert(tombstone.trip).inserted {
            guard owners.contains(tombstone.owner) else {
                throw RestoreConflict(
                    index: index, reason: "deleted trip \(tombstone.trip) names user \(tombstone.owner), who does not exist")
            }
            kept.append(tombstone)
        }
        var seqs = try changeNumbers(for: kept.map(\.owner), adding: [])
        try transaction["tombstones"].insert(many: kept.map { tombstone in
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
            else { throw MongoFailure(message: "user \(owner) without changeSeq") }
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

    private func existingOwners(_ owners: [OwnerID]) throws -> Set<OwnerID> {
        Set(try find("users", ids: Set(owners).map { .id($0) }).compactMap { $0.fields.id("_id") })
    }

    /// The `_id`s of the documents among `ids`, projected to nothing else.
    private func find(_ collection: String, ids: [BSONValue]) throws -> [BSONDocument] {
        try transaction[collection].find(
            Self.among(ids), options: BSONDocument(["projection": .document(BSONDocument(["ownerId": .int32(1), "userId": .int32(1), "version": .int32(1)]))]))
    }

    private static func among(_ ids: [BSONValue]) -> BSONDocument {
        BSONDocument(["_id": .document(BSONDocument(["$in": .array(ids)]))])
    }
}
