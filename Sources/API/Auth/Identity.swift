import TripCore

/// Who a request was authenticated as, and with which bearer token if any.
public struct Identity: Sendable {
    public let user: User
    public let tokenDigest: String?
}
