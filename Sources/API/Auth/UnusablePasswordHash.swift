import TripCore

/// A stored password hash that bcrypt must not be run on: malformed, or of a cost past `Limits.bcryptCost`, so
/// that a bad row cannot pin the hashing threads. The request gets 503 and the flaw is logged.
public struct UnusablePasswordHash: Error, CustomStringConvertible {
    public let flaw: String
    /// The account whose hash it is, when the caller knows it.
    public var owner: OwnerID?

    public var description: String {
        "the stored password hash" + (owner.map { " of user \($0)" } ?? "") + " is not run through bcrypt: \(flaw)"
    }
}
