/// Every limit the server enforces, in one place; the README's security section lists the same values.
public enum Limits {
    public static let maxBodyBytes = 1 << 20
    public static let usernameLength = 3...64
    public static let passwordBytes = 8...72
    public static let tripNameLength = 1...200
    public static let waypointNameLength = 1...200
    public static let waypointsPerTrip = 1000
    public static let latitude = -90.0...90.0
    public static let longitude = -180.0...180.0
    public static let pageSize = 1...100
    public static let maxHeaderBytes = 16 * 1024
    public static let idleTimeoutSeconds: Int64 = 60
    public static let tokenLifetimeSeconds = 24 * 3600
    public static let credentialCacheSeconds = 60
    /// How long a read may trust a caller this process authenticated without asking the store.
    public static let recentCallerLifetime = Duration.seconds(1)
    public static let failedLoginsAllowed = 10
    public static let failedLoginWindow = Duration.seconds(15 * 60)
}
