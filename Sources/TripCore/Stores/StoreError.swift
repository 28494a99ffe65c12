/// The few ways a store can refuse a request; the API maps each to an HTTP status.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case notFound, duplicateUsername, unknownOwner, versionConflict, tripLimitReached, shareLimitReached, cursorExpired
        case unavailable
    }

    private let code: Code

    /// The record does not exist, or belongs to someone else.
    public static let notFound = StoreError(code: .notFound)
    public static let duplicateUsername = StoreError(code: .duplicateUsername)
    /// The user named as the owner of a new record has no account, as when it was deleted meanwhile.
    public static let unknownOwner = StoreError(code: .unknownOwner)
    /// A conditional write found another version than the one expected.
    public static let versionConflict = StoreError(code: .versionConflict)
    /// The owner already has as many trips as a new one is allowed beside.
    public static let tripLimitReached = StoreError(code: .tripLimitReached)
    /// The trip already has as many unexpired shares as a new one is allowed beside.
    public static let shareLimitReached = StoreError(code: .shareLimitReached)
    /// A change cursor from another store, or from before tombstones it would need were purged: sync again from scratch.
    public static let cursorExpired = StoreError(code: .cursorExpired)
    /// The database cannot be reached or is too busy; the request may be retried.
    public static let unavailable = StoreError(code: .unavailable)

    public var description: String { "StoreError.\(code)" }
}
