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
                guard let key = document.fields.string("_id") else { throw MongoFailure(message: "malformed attempt document") }
                windows[key] = try Self.attemptWindow(document)
            }
            return windows
        }
    }

    /// Counts in the unexpired window, or replaces an ended one, each atomically with `findAndModify`, so concurrent
    /// counts each see their own; when another process starts the window first, the insert clashes on `_id` and the
    /// count goes into that window. A TTL index removes ended ones.
    @discardableResult
    public func countAttempt(_ keys: [String], window length: TimeInterval, at now: Date) async throws -> [String: AttemptWindow] {
        let ends = now.addingTimeInterval(length)
        return try await on("attempts") { attempts in
            var windows: [String: AttemptWindow] = [:]
            for key in keys {
                for _ in 0..<3 {
                    let live = BSONDocument(["_id": .string(key), "windowEnds": .document(BSONDocument(["$gt": .date(now)]))])
                    let increment = BSONDocument(["$inc": .document(BSONDocument(["count": .int64(1)]))])
                    if let counted = try attempts.findOneAndUpdate(live, increment) {
                        windows[key] = try Self.attemptWindow(counted)
                        break
                    }
                    let ended = BSONDocument(["_id": .string(key), "windowEnds": .document(BSONDocument(["$lte": .date(now)]))])
                    let fresh = BSONDocument([
                        "$set": .document(BSONDocument(["count": .int64(1), "windowEnds": .date(ends)]))
                    ])
                    do {
                        if let started = try attempts.findOneAndUpdate(ended, fresh, upsert: true) {
                            windows[key] = try Self.attemptWindow(started)
                            break
                        }
                    } catch let failure as MongoFailure where failure.isDuplicateKey {
                        continue
                    }
                }
            }
            return windows
        }
    }

    private static func attemptWindow(_ document: BSONDocument) throws -> AttemptWindow {
        let fields = document.fields
        guard let count = fields.integer("count"), let ends = fields.date("windowEnds") else {
            throw MongoFailure(message: "malformed attempt document")
        }
        return AttemptWindow(count: count, ends: ends)
    }
}
