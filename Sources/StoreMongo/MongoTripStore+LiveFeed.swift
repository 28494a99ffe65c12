import Foundation
import TripCore

extension MongoTripStore {
    /// Two finds by key in one hop to the thread pool: the readers' user documents and the unexpired tokens.
    public func liveFeedState(readers: [OwnerID], tokenDigests: [String], at now: Date) async throws -> LiveFeedState {
        try await withDatabase { database in
            var standings: [OwnerID: ReaderStanding] = [:]
            if !readers.isEmpty {
                let filter = BSONDocument(["_id": .document(BSONDocument(["$in": .array(readers.map { .id($0) })]))])
                for user in try database["users"].find(filter, options: Self.only("changeSeq", "passwordHash", "disabledAt")) {
                    let fields = user.fields
                    guard let id: OwnerID = fields.id("_id"), let hash = fields.string("passwordHash") else {
                        throw MongoFailure.corrupt(.account, fields, "user without an id or a password hash")
                    }
                    standings[id] = ReaderStanding(
                        latest: Int64(fields.integer("changeSeq") ?? 0), passwordHash: hash,
                        isDisabled: fields.date("disabledAt") != nil)
                }
            }
            var live = Set<String>()
            if !tokenDigests.isEmpty {
                let filter = BSONDocument([
                    "_id": .document(BSONDocument(["$in": .array(tokenDigests.map { .string($0) })])),
                    "expiresAt": .document(BSONDocument(["$gt": .date(now)])),
                ])
                for token in try database["tokens"].find(filter, options: Self.only("_id")) {
                    if let digest = token.fields.string("_id") { live.insert(digest) }
                }
            }
            return LiveFeedState(readers: standings, liveTokens: live)
        }
    }
}
