/// The bounds of what a record may hold, wherever it comes from: a request, an archive or an admin command. The API's
/// `Limits` names them beside the server's own limits.
public enum RecordLimits {
    public static let usernameLength = 3...64
    public static let passwordBytes = 8...72
    public static let tripNameLength = 1...200
    public static let waypointNameLength = 1...200
    public static let waypointsPerTrip = 1000
    public static let latitude = -90.0...90.0
    public static let longitude = -180.0...180.0
    /// The bcrypt costs a stored password hash may have; a hash past them is never run.
    public static let bcryptCost = 4...16
    /// The longest a bearer token lives, from its issue or its import.
    public static let tokenLifetimeSeconds = 24 * 3600
}
