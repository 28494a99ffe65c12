/// Trips with their waypoints; every operation is scoped to the trip's owner.
public protocol TripRecordStore: Sendable {
    /// Throws `StoreError.tripLimitReached` when the owner already has `limit` trips, and `StoreError.unknownOwner`,
    /// keeping nothing, when the owner has no account.
    func createTrip(_ draft: TripDraft, owner: OwnerID, limit: Int) async throws -> Trip
    /// The owner's trips in id order after `after`, which need not exist any more, as far as `bound` goes, measuring
    /// each trip as the store keeps it; pages of them are `tripPage`'s.
    func trips(owner: OwnerID, after: TripID?, bound: ReadBound) async throws -> BoundedRead<Trip>
    /// Throws `StoreError.notFound` when the owner has no such trip.
    func trip(_ id: TripID, owner: OwnerID) async throws -> Trip
    /// Replaces name and waypoints and advances the version by one. Throws `StoreError.notFound` when the
    /// owner has no such trip, and `StoreError.versionConflict` when `expectedVersion` is given and the
    /// stored version is another; of concurrent replaces expecting one version, exactly one succeeds.
    func replaceTrip(_ id: TripID, owner: OwnerID, with draft: TripDraft, expectedVersion: Int?) async throws -> Trip
    /// Throws `StoreError.notFound` when the owner has no such trip, and `StoreError.versionConflict`, deleting
    /// nothing, when `expectedVersion` is given and the stored version is another.
    func deleteTrip(_ id: TripID, owner: OwnerID, expectedVersion: Int?) async throws
}
