import Foundation

/// Persistence for users, their tokens and their trips. Every trip operation is scoped to its owner.
///
/// Any method may also throw `StoreError.unavailable` when the database cannot be reached, is too busy,
/// or the store has been closed; the call may then be retried. Anything else a store throws is a fault.
public protocol TripStore: Sendable {
    /// Creates the schema and indexes; runs before the server accepts requests.
    func prepare() async throws
    /// Returns when the database answers; throws `StoreError.unavailable` when it does not.
    func checkAvailability() async throws
    /// Finishes the calls already queued, then lets go of the database; later calls throw
    /// `StoreError.unavailable`. Safe to call more than once.
    func close() async throws

    /// Throws `StoreError.duplicateUsername` when the name is taken in any ASCII case.
    func createUser(username: String, passwordHash: String) async throws -> User
    /// The account of this username in any ASCII case, or nil.
    func account(username: String) async throws -> Account?
    /// Sets a new password hash and deletes every token of the account; throws `StoreError.notFound`
    /// for an unknown user.
    func changePasswordHash(_ owner: OwnerID, to passwordHash: String) async throws
    /// Deletes the user with their trips and tokens; throws `StoreError.notFound` for an unknown user.
    func deleteUser(_ id: OwnerID) async throws

    /// Keeps the token and revokes the owner's oldest beyond the newest `limit`. Throws `StoreError.unknownOwner`,
    /// and keeps nothing, when the token's owner has no account.
    func saveToken(_ token: AccessToken, keepingNewest limit: Int) async throws
    /// The owner of an unexpired token, or nil.
    func user(tokenDigest: String, at now: Date) async throws -> User?
    /// Deletes the token if it exists.
    func deleteToken(digest: String) async throws

    /// Throws `StoreError.tripLimitReached` when the owner already has `limit` trips, and `StoreError.unknownOwner`,
    /// keeping nothing, when the owner has no account.
    func createTrip(_ draft: TripDraft, owner: OwnerID, limit: Int) async throws -> Trip
    /// Up to `limit` of the owner's trips in id order, starting after `after`, which need not exist any more, and
    /// ending with the first trip whose name and waypoints bring the bytes read past `byteBudget`.
    func trips(owner: OwnerID, after: TripID?, limit: Int, byteBudget: Int) async throws -> [Trip]
    /// Throws `StoreError.notFound` when the owner has no such trip.
    func trip(_ id: TripID, owner: OwnerID) async throws -> Trip
    /// Replaces name and waypoints and advances the version by one. Throws `StoreError.notFound` when the
    /// owner has no such trip, and `StoreError.versionConflict` when `expectedVersion` is given and the
    /// stored version is another; of concurrent replaces expecting one version, exactly one succeeds.
    func replaceTrip(_ id: TripID, owner: OwnerID, with draft: TripDraft, expectedVersion: Int?) async throws -> Trip
    /// Throws `StoreError.notFound` when the owner has no such trip, and `StoreError.versionConflict`, deleting
    /// nothing, when `expectedVersion` is given and the stored version is another.
    func deleteTrip(_ id: TripID, owner: OwnerID, expectedVersion: Int?) async throws

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

    /// Without `since`, the owner's live trips; with it, each trip of the owner created, replaced or deleted after
    /// it. Either way in the order of each trip's last change, at most `limit`, ending with the first trip whose
    /// name and waypoints bring the bytes read past `byteBudget`. A change committed while this runs is either in
    /// the page or after its cursor. Throws `StoreError.cursorExpired` for a cursor of another store's feed, from
    /// before tombstones it would need were purged, or past the owner's last change (a store restored from a backup).
    func changes(owner: OwnerID, since: ChangeCursor?, limit: Int, byteBudget: Int) async throws -> ChangePage
    /// Forgets the deletions made before `date`; cursors from before them expire. Returns how many went.
    func purgeTombstones(deletedBefore date: Date) async throws -> Int
    /// Deletes the shares that expired at or before `date`. Returns how many went.
    func purgeExpiredShares(expiredBy date: Date) async throws -> Int

    /// The unexpired window of each key that has one, shared by every process on the database.
    func attemptWindows(_ keys: [String], at now: Date) async throws -> [String: AttemptWindow]
    /// Counts one attempt against each key: in its unexpired window, or in a new one of `length` from now. Returns each
    /// key's window with this attempt counted; of concurrent calls, each sees a different count.
    @discardableResult
    func countAttempt(_ keys: [String], window length: TimeInterval, at now: Date) async throws -> [String: AttemptWindow]
}
