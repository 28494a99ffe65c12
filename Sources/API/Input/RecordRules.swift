import JSON
import TripCore

/// The rules the API holds records to, for records that arrive another way, as from an import.
public enum RecordRules {
    /// The trip's name and waypoints as a request to store them would have them; throws `Problem.invalid` naming
    /// each field that would be refused.
    public static func tripDraft(_ json: JSONValue) throws(Problem) -> TripDraft {
        try TripDraft(validating: json)
    }

    /// Whether sign-up would accept this username.
    public static func isUsername(_ name: String) -> Bool {
        SignUp.couldBeUsername(name)
    }
}
