/// Trips with their waypoints, as the people who may read them see them: the owner and the members (`MemberStore`).
/// A caller who is neither is told `StoreError.notFound`, exactly as for a trip that does not exist.
public protocol TripRecordStore: Sendable {
    /// Throws `StoreError.tripLimitReached` when the owner already owns `limit` trips, and `StoreError.unknownOwner`,
    /// keeping nothing, when the owner has no account. Returns the trip as its owner sees it.
    func createTrip(_ draft: TripDraft, owner: OwnerID, limit: Int) async throws -> Trip
    /// The trips the reader owns or is a member of, in `role` if one is given, in id order after `after`, which need
    /// not exist any more, as far as `bound` goes, measuring each trip as the store keeps it; pages of them are
    /// `tripPage`'s. Each is as the reader sees it.
    func trips(reader: OwnerID, role: TripRole?, after: TripID?, bound: ReadBound) async throws -> BoundedRead<Trip>
    /// The trip as the reader sees it. Throws `StoreError.notFound` when the reader may not read it.
    func trip(_ id: TripID, reader: OwnerID) async throws -> Trip
    /// Replaces name and waypoints and advances the version by one. Throws `StoreError.notFound` when the editor
    /// may not read the trip, `StoreError.forbidden` when they are a viewer, and `StoreError.versionConflict` when
    /// `expectedVersion` is given and the stored version is another; of concurrent replaces expecting one version,
    /// exactly one succeeds. Every reader's feed gets the change.
    func replaceTrip(_ id: TripID, editor: OwnerID, with draft: TripDraft, expectedVersion: Int?) async throws -> Trip
    /// Deletes the trip with its shares, invitations and members, leaving a tombstone in every reader's feed. Throws
    /// `StoreError.notFound` when the caller may not read the trip, `StoreError.forbidden` when they are a member, and
    /// `StoreError.versionConflict`, deleting nothing, when `expectedVersion` is given and the stored version is another.
    func deleteTrip(_ id: TripID, owner: OwnerID, expectedVersion: Int?) async throws
}
