import Foundation

/// What the people on call read and change through `trip-planner users`, `throttle`, `stats` and `audit`, on any store,
/// while servers serve it.
public protocol AccountAdminStore: Sendable {
    /// Accounts in username order (ASCII case ignored) after `username`, at most `limit`, with what they hold at `now`.
    func accountSummaries(after username: String?, limit: Int, at now: Date) async throws -> [AccountSummary]
    /// The account of this username in any ASCII case, with what it holds at `now`, or nil.
    func accountSummary(username: String, at now: Date) async throws -> AccountSummary?
    /// Disables the account, or enables it with nil; its records are kept either way. Throws `StoreError.notFound`
    /// for an unknown account.
    func setDisablement(_ disablement: Disablement?, of owner: OwnerID) async throws
    /// Deletes every token of the account; returns how many went.
    func revokeTokens(of owner: OwnerID) async throws -> Int
    /// The attempt windows `keys` names that are open at `now`, by stored key.
    func attemptWindows(_ keys: AttemptKeyRange, at now: Date) async throws -> [String: AttemptWindow]
    /// Deletes the attempt windows `keys` names; returns how many went.
    func clearAttempts(_ keys: AttemptKeyRange) async throws -> Int
    func statistics(at now: Date) async throws -> StoreStatistics
    /// Keeps the event, once: an event whose id is held is not kept again.
    func recordAudit(_ event: AuditEvent) async throws
    /// The newest events first, at most `limit`.
    func auditEvents(limit: Int) async throws -> [AuditEvent]
}

/// Why and since when an account may not sign in.
public struct Disablement: Hashable, Sendable {
    public let since: Date
    public let reason: String

    public init(since: Date, reason: String) {
        self.since = since
        self.reason = reason
    }
}

/// An account as `users list` and `users show` print it.
public struct AccountSummary: Hashable, Sendable {
    public let user: User
    public let disablement: Disablement?
    public let tripsOwned: Int
    /// Tokens unexpired at the time asked.
    public let liveTokens: Int
    /// Shares unexpired at the time asked.
    public let liveShares: Int

    public init(user: User, disablement: Disablement?, tripsOwned: Int, liveTokens: Int, liveShares: Int) {
        self.user = user
        self.disablement = disablement
        self.tripsOwned = tripsOwned
        self.liveTokens = liveTokens
        self.liveShares = liveShares
    }
}

/// Counts of everything a store keeps, and what it knows of its database.
public struct StoreStatistics: Hashable, Sendable {
    public var accounts = 0
    public var trips = 0
    public var tokens = 0
    public var shares = 0
    public var tombstones = 0
    public var attemptWindows = 0
    public var auditEvents = 0
    /// Bytes the database takes, as the database reports it.
    public var databaseBytes: Int?
    /// For MongoDB: the server's version and its replica set's name.
    public var serverVersion: String?
    public var replicaSet: String?

    public init() {}
}
