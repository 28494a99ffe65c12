import TripCore

/// Every limit the server enforces, in one place; the README's security section lists the same values.
public enum Limits {
    public static let maxBodyBytes = 1 << 20
    public static let usernameLength = RecordLimits.usernameLength
    public static let passwordBytes = RecordLimits.passwordBytes
    public static let tripNameLength = RecordLimits.tripNameLength
    public static let waypointNameLength = RecordLimits.waypointNameLength
    public static let waypointsPerTrip = RecordLimits.waypointsPerTrip
    public static let latitude = RecordLimits.latitude
    public static let longitude = RecordLimits.longitude
    public static let pageSize = 1...100
    /// Changes in one page of `/changes`, and how many without `?limit=`.
    public static let changePageSize = 1...1000
    public static let changePageDefault = 100
    /// Days a deleted trip's tombstone stays in the change feed, unless `--tombstone-days` says otherwise; a cursor
    /// from before purged tombstones is answered 410.
    public static let tombstoneDays = 30
    /// Characters of a client's own `X-Request-Id` that is kept; any other is replaced by a new id.
    public static let requestIDLength = 1...128
    /// Days a share link may be made to last; without a number it lasts until revoked.
    public static let shareDays = 1...365
    /// Unexpired share links one trip may have at once; past it, a new one is a 422. It also bounds the list of them.
    public static let sharesPerTrip = 100
    /// Members of one trip besides its owner; past it, joining is a 409.
    public static let membersPerTrip = 50
    /// Invitations pending at once for one trip; past it, a new one is a 422. It also bounds the list of them.
    public static let invitationsPerTrip = 100
    /// Days an invitation may be made to last, and how many without a number.
    public static let invitationDays = 1...30
    public static let invitationDaysDefault = 7
    /// Invitations one account may create per window; past it, 429.
    public static let invitationsPerWindow = 200
    public static let invitationWindowSeconds = 3600
    /// Trips one account may create per window; past it, 429. Deleted trips leave tombstones for `tombstoneDays`, so
    /// this is what bounds them.
    public static let tripCreationsPerWindow = 1000
    public static let tripCreationWindowSeconds = 3600
    /// Requests for shared pages (`/s/…`, any format) from one client address per window; past it, 429.
    public static let sharedPageRequestsPerWindow = 600
    public static let sharedPageWindowSeconds = 60
    /// Client addresses counted at once for `sharedPageRequestsPerWindow`; past it, new ones in the window go uncounted.
    public static let sharedPageAddresses = 100_000
    /// Rendered shared pages kept in memory, by count and by bytes in all; past either the least recently used go.
    public static let sharedPageCacheEntries = 1000
    public static let sharedPageCacheBytes = 64 << 20
    /// Operations in one JSON Patch.
    public static let patchOperations = 1000
    /// JSON values one JSON Patch may copy in all, so that copies cannot grow a trip without bound.
    public static let patchCopiedValues = 20_000
    /// JSON bytes in a page of trips; a page ends early rather than pass it, unless its one trip is larger.
    public static let pageBytes = 1 << 20
    /// Attributes on one element of a GPX document; past it, 400.
    public static let xmlAttributesPerElement = 64
    /// Elements open at once in a GPX document; deeper, 400.
    public static let xmlDepth = 32
    /// Live change streams one account may hold open on one process; the next one closes the oldest.
    public static let streamsPerAccount = 10
    /// Bytes of events a live stream may have waiting for a slow reader; past them it is closed, and resumes by cursor.
    public static let streamUnsentBytes = 1 << 20
    /// Bytes of events all live streams of a process may have waiting, unless `--stream-memory` says otherwise; past
    /// them, the stream that sends the next event is closed as a slow reader.
    public static let streamUnsentBytesInAll = 256 << 20
    /// Seconds between heartbeats of an idle live stream, unless `--stream-heartbeat` says otherwise.
    public static let streamHeartbeatSeconds = 15
    /// Milliseconds an `EventSource` waits before reconnecting, sent as the stream's `retry:`.
    public static let streamRetryMilliseconds = 2000
    public static let maxHeaderBytes = 16 * 1024
    public static let idleTimeoutSeconds: Int64 = 60
    /// Seconds from a request's first byte to its last, unless `--request-deadline` says otherwise; later is a 408.
    public static let requestDeadlineSeconds = 30
    public static let tokenLifetimeSeconds = RecordLimits.tokenLifetimeSeconds
    /// Live tokens per account; a new one past it revokes the oldest.
    public static let tokensPerAccount = 100
    /// Tokens one account may be issued per minute; past it, 429.
    public static let tokenIssuesPerMinute = 20
    /// Trips per account, unless `--trips-per-account` says otherwise; past it, a new trip is a 422.
    public static let tripsPerAccount = 10_000
    /// A verified Basic login is remembered this long after its last use.
    public static let credentialCacheSeconds = 60
    /// Verified Basic logins remembered at once; past it the least recently used are forgotten.
    public static let credentialCacheEntries = 10_000
    /// Failed password checks for one username from one client within a window before both are refused.
    public static let failedLoginsPerClient = 10
    /// Failed password checks for one username from all clients within a window before it is refused everywhere.
    public static let failedLoginsPerUsername = 100
    public static let failedLoginWindowSeconds = 15 * 60
    /// Accounts created from one client address per window, unless `--signup-limit` says otherwise; 0 is no limit.
    public static let signUpsPerAddress = 100
    public static let signUpWindowSeconds = 3600
    /// The bcrypt costs the server hashes with (`--bcrypt-cost`), imports and runs; a stored hash past them is
    /// refused with 503 rather than run.
    public static let bcryptCost = RecordLimits.bcryptCost
    /// Bytes of the file `serve --config` names; a larger one stops the start.
    public static let configFileBytes = 64 * 1024
    /// bcrypt runs waiting for a thread before more are refused with 503.
    public static let passwordChecksQueued = 256
}
