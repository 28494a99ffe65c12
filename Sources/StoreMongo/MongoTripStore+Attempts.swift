import Foundation
import TripCore

extension MongoTripStore {
    public func attemptWindows(_ keys: [String], at now: Date) async throws -> [String: AttemptWindow] {
        try await on("attempts") { attempts in
            let filter = BSONDocument([
                "_id": .document(BSONDocument(["$in": .array(keys.map { .string($0) })])),
                "windowEnds": .document(BSONDocument(["$gt": .date(now)])),
            ])
            var windows: [String: AttemptWindow] = [:]
            for document in try attempts.find(filter) {
                let fields = document.fields
                guard let key = fields.string("_id"), let count = fields.integer("count"), let ends = fields.date("windowEnds")
                else { throw MongoFailure(message: "malformed attempt document") }
                windows[key] = AttemptWindow(count: count, ends: ends)
            }
            return windows
        }
    }

    /// Counts in the unexpired window, or replaces an ended one; when another process starts the window
    /// first, the insert clashes on `_id` and the count goes into that window. A TTL index removes ended ones.
    public func countAttempt(_ keys: [String], window length: TimeInterval, at now: Date) async throws {
        let ends = now.addingTimeInterval(length)
        try await on("attempts") { attempts in
            for key in keys {
                for _ in 0..<3 {
                    let live = BSONDocument(["_id": .string(key), "windowEnds": .document(BSONDocument(["$gt": .date(now)]))])
                    let increment = BSONDocument(["$inc": .document(BSONDocument(["count": .int64(1)]))])
                    if try attempts.updateOne(live, increment) == 1 { break }
                    let ended = BSONDocument(["_id": .string(key), "windowEnds": .document(BSONDocument(["$lte": .date(now)]))])
                    let fresh = BSONDocument([
                        "$set": .document(BSONDocument(["count": .int64(1), "windowEnds": .date(ends)]))
                    ])
                    do {
                        try attempts.updateOne(ended, fresh, upsert: true)
                        break
                    } catch let failure as MongoFailure where failure.isDuplicateKey {
                        continue
                    }
                }
            }
        }
    }
}
