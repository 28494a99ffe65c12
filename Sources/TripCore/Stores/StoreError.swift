/// The few ways a store can refuse a request, each naming the kind of record and, where known, its id; the API maps
/// each to an HTTP status. Two errors are equal when they are the same refusal, whatever record they name.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case notFound, duplicateUsername, unknownOwner, versionConflict, tripLimitReached, shareLimitReached, cursorExpired
        case forbidden, alreadyMember, memberLimitReached, invitationLimitReached
        case corrupt, unavailable
    }

    /// The kinds of record a store keeps.
    public enum Record: String, Hashable, Sendable {
        case account, token, trip, share, tombstone, changeFeed, attempt, audit, member, invitation
    }

    public let code: Code
    public let record: Record?
    public let id: String?
    /// What is wrong with a corrupt record, for the log; never shown to a client.
    public let detail: String?

    private init(code: Code, record: Record? = nil, id: String? = nil, detail: String? = nil) {
        self.code = code
        self.record = record
        self.id = id
        self.detail = detail
    }

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
    /// A member of the trip asked for what only its owner may do, or a viewer to change it.
    public static let forbidden = StoreError(code: .forbidden)
    /// The account joining a trip is its owner or already a member.
    public static let alreadyMember = StoreError(code: .alreadyMember)
    /// The trip already has as many members as a new one is allowed beside.
    public static let memberLimitReached = StoreError(code: .memberLimitReached)
    /// The trip already has as many pending invitations as a new one is allowed beside.
    public static let invitationLimitReached = StoreError(code: .invitationLimitReached)
    /// A change cursor from another store, or from before tombstones it would need were purged: sync again from scratch.
    public static let cursorExpired = StoreError(code: .cursorExpired)
    /// The database cannot be reached or is too busy; the request may be retried.
    public static let unavailable = StoreError(code: .unavailable)

    /// No such record of this kind, or it belongs to someone else.
    public static func notFound(_ record: Record, _ id: some CustomStringConvertible) -> StoreError {
        StoreError(code: .notFound, record: record, id: id.description)
    }

    /// A stored record this code cannot read: a fault, logged and never skipped.
    public static func corrupt(_ record: Record, _ id: (any CustomStringConvertible)?, _ detail: String) -> StoreError {
        StoreError(code: .corrupt, record: record, id: id?.description, detail: detail)
    }

    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String {
        var text = "StoreError.\(code)"
        if let record { text += " \(record.rawValue)" }
        if let id { text += " \(id)" }
        if let detail { text += ": \(detail)" }
        return text
    }
}
