import Foundation
import TripCore

extension MongoTripStore {
    /// Races between processes that each take, end or give back the key's window at once, settled within these rounds;
    /// each round needs another process to have changed the window, so running out of them is reported, not hidden.
    private static let attemptRounds = 100

    /// Takes with one `findAndModify` whose filter holds `count < limit`, so count and comparison are one atomic step;
    /// when no unexpired window has room, an upsert replaces an ended one or starts one. A clash on `_id` means another
    /// process's window is live: a full one refuses, one with room is taken from in the next round. A TTL index removes
    /// ended windows.
    public func takeAttempt(_ key: AttemptKey, limit: Int, window length: TimeInterval, at now: Date) async throws -> AttemptTake {
        let ends = now.addingTimeInterval(length)
        return try await on("attempts") { attempts in
            let id = BSONValue.string(key.stored)
            for _ in 0..<Self.attemptRounds {
                let withRoom = BSONDocument([
                    "_id": id, "windowEnds": .document(BSONDocument(["$gt": .date(now)])),
                    "count": .document(BSONDocument(["$lt": .int64(Int64(limit))])),
                ])
                let increment = BSONDocument(["$inc": .document(BSONDocument(["count": .int64(1)]))])
                if let taken = try attempts.findOneAndUpdate(withRoom, increment) { return .granted(try Self.attemptWindow(taken)) }
                let ended = BSONDocument(["_id": id, "windowEnds": .document(BSONDocument(["$lte": .date(now)]))])
                let fresh = BSONDocument(["$set": .document(BSONDocument(["count": .int64(1), "windowEnds": .date(ends)]))])
                do {
                    if let started = try attempts.findOneAndUpdate(ended, fresh, upsert: true) {
                        return .granted(try Self.attemptWindow(started))
                    }
                } catch let failure as MongoFailure where failure.isDuplicateKey {
                    guard let live = try attempts.findOne(BSONDocument(["_id": id])).map(Self.attemptWindow) else { continue }
                    if live.ends > now && live.count >= limit { return .refused(live) }
                }
            }
            throw MongoFailure(message: "the attempt window \(key.stored) changed in each of \(Self.attemptRounds) rounds")
        }
    }

    /// Decrements a window with more than one attempt, or deletes one with a single attempt; when another process
    /// changed the count between the two, the next round sees it.
    public func giveBackAttempt(_ key: AttemptKey, window ends: Date) async throws {
        try await on("attempts") { attempts in
            let id = BSONValue.string(key.stored)
            for _ in 0..<Self.attemptRounds {
                let several = BSONDocument([
                    "_id": id, "windowEnds": .date(ends), "count": .document(BSONDocument(["$gt": .int64(1)])),
                ])
                let decrement = BSONDocument(["$inc": .document(BSONDocument(["count": .int64(-1)]))])
                if try attempts.updateOne(several, decrement) > 0 { return }
                if try attempts.delete(BSONDocument(["_id": id, "windowEnds": .date(ends), "count": .int64(1)])) > 0 { return }
                if try attempts.findOne(BSONDocument(["_id": id, "windowEnds": .date(ends)])) == nil { return }
            }
            throw MongoFailure(message: "the attempt window \(key.stored) changed in each of \(Self.attemptRounds) rounds")
        }
    }

    private static func attemptWindow(_ document: BSONDocument) throws -> AttemptWindow {
        let fields = document.fields
        guard let count = fields.integer("count"), let ends = fields.date("windowEnds") else {
            throw MongoFailure.corrupt(.attempt, fields, "malformed attempt document")
        }
        return AttemptWindow(count: count, ends: ends)
    }
}
