import Foundation

/// Persistence for users, their tokens and their trips. Every trip operation is scoped to its owner.
public protocol TripStore: Sendable {
    /// Creates the schema and indexes; runs before the server accepts requests.
    func prepare() async throws
    /// Throws `StoreError.unavailable` when the database does not answer.
    func checkAvailability() async throws
    /// Finishes the calls already queued, then lets go of the database; later calls throw
    /// `StoreError.unavailable`. Safe to call more than once.
    func close() async throws

    /// Throws `StoreError.duplicateUsername` when the name is taken.
    func createUser(username: String, passwordHash: String) async throws -> User
    func account(username: String) async throws -> Account?
    /// Deletes the user with their trips and tokens.
    func deleteUser(_ id: OwnerID) async throws

    func saveToken(_ token: AccessToken) async throws
    /// The owner of an unexpired token.
    func user(tokenDigest: String, at now: Date) async throws -> User?
    func deleteToken(digest: String) async throws

    func createTrip(_ draft: TripDraft, owner: OwnerID) async throws -> Trip
    /// Up to `limit` of the owner's trips in id order, starting after `after`.
    func trips(owner: OwnerID, after: TripID?, limit: Int) async throws -> [Trip]
    func trip(_ id: TripID, owner: OwnerID) async throws -> Trip
    /// Replaces name and waypoints; with `expectedVersion` only if the stored version matches.
    func replaceTrip(_ id: TripID, owner: OwnerID, with draft: TripDraft, expectedVersion: Int?) async throws -> Trip
    func deleteTrip(_ id: TripID, owner: OwnerID) async throws
}
