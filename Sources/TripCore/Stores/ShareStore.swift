import Foundation

/// Read-only share links of trips, kept by the digest of their token, managed by the trip's owner alone: a member of the
/// trip is told `StoreError.forbidden`, anyone else `StoreError.notFound` as for a trip that does not exist.
public protocol ShareStore: Sendable {
    /// Keeps the share under the digest of its token. Throws `StoreError.notFound` when the owner has no such trip, and
    /// `StoreError.shareLimitReached`, keeping nothing, when the trip already has `limit` shares unexpired at the new
    /// one's creation; of concurrent creations, no more succeed than leave `limit` unexpired.
    func createShare(_ share: Share, tokenDigest: String, limit: Int) async throws
    /// The shares of one of the owner's trips unexpired at `now`, oldest first, at most `limit`. Throws
    /// `StoreError.notFound` when the owner has no such trip.
    func shares(of trip: TripID, owner: OwnerID, at now: Date, limit: Int) async throws -> [Share]
    /// Throws `StoreError.notFound` when the owner has no such share of that trip.
    func deleteShare(_ id: ShareID, of trip: TripID, owner: OwnerID) async throws
    /// The trip an unexpired share's token opens, or nil.
    func sharedTrip(tokenDigest: String, at now: Date) async throws -> Trip?
    /// The version of the trip an unexpired share's token opens, or nil, read without the trip's name and waypoints.
    func sharedTripVersion(tokenDigest: String, at now: Date) async throws -> TripVersion?
    /// Deletes the shares that expired at or before `date`. Returns how many went.
    func purgeExpiredShares(expiredBy date: Date) async throws -> Int
}
