import CMongoc
import Foundation
import TripCore

extension MongoTripStore: AccountAdminStore {
    public func accountSummaries(after username: String?, limit: Int, at now: Date) async throws -> [AccountSummary] {
        try await withDatabase { database in
            let after = BSONDocument(["usernameKey": .document(BSONDocument(["$gt": .string(Documents.usernameKey(username ?? ""))]))])
            let options = BSONDocument(["sort": .document(BSONDocument(["usernameKey": .int32(1)])), "limit": .int64(Int64(limit))])
            return try database["users"].find(after, options: options).map { try Self.summary(of: $0, at: now, in: database) }
        }
    }

    public func accountSummary(username: String, at now: Date) async throws -> AccountSummary? {
        try await withDatabase { database in
            try database["users"].findOne(BSONDocument(["usernameKey": .string(Documents.usernameKey(username))]))
                .map { try Self.summary(of: $0, at: now, in: database) }
        }
    }

    private static func summary(of document: BSONDocument, at now: Date, in database: MongoDatabase) throws -> AccountSummary {
        let account = try Documents.account(document)
        let owner = BSONValue.id(account.user.id)
        let unexpired = BSONDocument(["$gt": .date(now)])
        let liveShares = BSONDocument([
            "ownerId": owner,
            "$or": .array([
                .document(BSONDocument(["expiresAt": .document(BSONDocument(["$exists": .bool(false)]))])),
                .document(BSONDocument(["expiresAt": .document(unexpired)])),
            ]),
        ])
        return AccountSummary(
            user: account.user, disablement: account.disablement,
            tripsOwned: try database["trips"].count(BSONDocument(["ownerId": owner]), limit: .max),
            liveTokens: try database["tokens"].count(BSONDocument(["userId": owner, "expiresAt": .document(unexpired)]), limit: .max),
            liveShares: try database["shares"].count(liveShares, limit: .max))
    }

    /// The account's document and its tokens' copies change in one transaction; a token saved meanwhile writes the
    /// account's document too, so one of the two runs again and the copy it makes is never stale.
    public func setDisablement(_ disablement: Disablement?, of owner: OwnerID) async throws {
        try await inTransaction { database in
            let update =
                if let disablement {
                    BSONDocument(["$set": .document(BSONDocument([
                        "disabledAt": .date(disablement.since), "disabledReason": .string(disablement.reason),
                    ]))])
                } else {
                    BSONDocument(["$unset": .document(BSONDocument(["disabledAt": .string(""), "disabledReason": .string("")]))])
                }
            guard try database["users"].updateOne(BSONDocument(["_id": .id(owner)]), update) == 1 else {
                throw StoreError.notFound(.account, owner)
            }
            let copy =
                disablement == nil
                ? BSONDocument(["$unset": .document(BSONDocument(["userDisabled": .string("")]))])
                : BSONDocument(["$set": .document(BSONDocument(["userDisabled": .int32(1)]))])
            try database["tokens"].updateMany(BSONDocument(["userId": .id(owner)]), copy)
        }
    }

    public func revokeTokens(of owner: OwnerID) async throws -> Int {
        try await on("tokens") { tokens in try tokens.delete(BSONDocument(["userId": .id(owner)]), many: true) }
    }

    public func attemptWindows(_ keys: AttemptKeyRange, at now: Date) async throws -> [String: AttemptWindow] {
        try await on("attempts") { attempts in
            let filter = Self.filter(keys)
            filter.append("windowEnds", .document(BSONDocument(["$gt": .date(now)])))
            var windows: [String: AttemptWindow] = [:]
            for document in try attempts.find(filter) {
                let fields = document.fields
                guard let key = fields.string("_id"), let count = fields.integer("count"), let ends = fields.date("windowEnds") else {
                    throw MongoFailure.corrupt(.attempt, fields, "malformed attempt document")
                }
                windows[key] = AttemptWindow(count: count, ends: ends)
            }
            return windows
        }
    }

    public func clearAttempts(_ keys: AttemptKeyRange) async throws -> Int {
        try await on("attempts") { attempts in try attempts.delete(Self.filter(keys), many: true) }
    }

    private static func filter(_ keys: AttemptKeyRange) -> BSONDocument {
        var alternatives: [BSONValue] = [.document(BSONDocument(["_id": .document(BSONDocument(["$in": .array(keys.exact.map { .string($0) })]))]))]
        if let lower = keys.lowerBound, let upper = keys.upperBound {
            alternatives.append(.document(BSONDocument(["_id": .document(BSONDocument(["$gte": .string(lower), "$lt": .string(upper)]))])))
        }
        return BSONDocument(["$or": .array(alternatives)])
    }

    public func statistics(at now: Date) async throws -> StoreStatistics {
        try await withDatabase { database in
            let unexpired = BSONDocument(["$gt": .date(now)])
            var statistics = StoreStatistics()
            statistics.accounts = try database["users"].count(BSONDocument(), limit: .max)
            statistics.trips = try database["trips"].count(BSONDocument(), limit: .max)
            statistics.tokens = try database["tokens"].count(BSONDocument(["expiresAt": .document(unexpired)]), limit: .max)
            statistics.shares = try database["shares"].count(
                BSONDocument(["$or": .array([
                    .document(BSONDocument(["expiresAt": .document(BSONDocument(["$exists": .bool(false)]))])),
                    .document(BSONDocument(["expiresAt": .document(unexpired)])),
                ])]), limit: .max)
            statistics.tombstones = try database["feed"].count(
                BSONDocument(["deletedAt": .document(BSONDocument(["$exists": .bool(true)]))]), limit: .max)
            statistics.attemptWindows = try database["attempts"].count(BSONDocument(["windowEnds": .document(unexpired)]), limit: .max)
            statistics.auditEvents = try database["audit"].count(BSONDocument(), limit: .max)
            // What the server tells of itself is shown when it tells it; not every server answers every command.
            let sizes = try? Self.command(["dbStats": .int32(1)], on: database.name, in: database).fields
            statistics.databaseBytes = (sizes?.double("storageSize")).map(Int.init) ?? sizes?.integer("storageSize")
            statistics.serverVersion = (try? Self.command(["buildInfo": .int32(1)], on: "admin", in: database))?.fields.string("version")
            statistics.replicaSet = (try? Self.command(["hello": .int32(1)], on: "admin", in: database))?.fields.string("setName")
            return statistics
        }
    }

    private static func command(_ fields: KeyValuePairs<String, BSONValue>, on databaseName: String, in database: MongoDatabase) throws -> BSONDocument {
        let command = BSONDocument(fields)
        let reply = BSONDocument.reply()
        try withExtendedLifetime(command) { () throws(MongoFailure) in
            try checked(reply: reply) { mongoc_client_command_simple(database.client, databaseName, command.pointer, nil, reply.pointer, $0) }
        }
        return reply
    }

    public func recordAudit(_ event: AuditEvent) async throws {
        try await on("audit") { audit in
            do throws(MongoFailure) {
                try audit.insert(Documents.auditEvent(event))
            } catch where error.isDuplicateKey {
                // Kept already, as when an archive holding it is imported again.
            }
        }
    }

    public func auditEvents(limit: Int) async throws -> [AuditEvent] {
        try await on("audit") { audit in
            let options = BSONDocument(["sort": .document(BSONDocument(["at": .int32(-1), "_id": .int32(-1)])), "limit": .int64(Int64(limit))])
            return try audit.find(BSONDocument(), options: options).map { try Documents.auditEvent($0.fields) }
        }
    }
}

extension Documents {
    static func auditEvent(_ event: AuditEvent) -> BSONDocument {
        let document = BSONDocument([
            "_id": .objectID(event.id), "at": .date(event.at), "command": .string(event.command), "account": .string(event.account),
            "operator": .string(event.operatorName), "host": .string(event.host),
        ])
        if let reason = event.reason { document.append("reason", .string(reason)) }
        return document
    }

    /// Marks a new user document disabled.
    static func disable(_ user: BSONDocument, _ disablement: Disablement) {
        user.append("disabledAt", .date(disablement.since))
        user.append("disabledReason", .string(disablement.reason))
    }

    static func auditEvent(_ fields: BSONFields) throws -> AuditEvent {
        guard let id = fields.objectID("_id"), let at = fields.date("at"), let command = fields.string("command"),
            let account = fields.string("account"), let operatorName = fields.string("operator"), let host = fields.string("host")
        else { throw MongoFailure.corrupt(.audit, fields, "malformed audit document") }
        return AuditEvent(id: id, at: at, command: command, account: account, operatorName: operatorName, host: host, reason: fields.string("reason"))
    }
}
