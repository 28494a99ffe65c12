import Foundation

/// What a window of attempts is counted against. Each renders to the key the store keeps; a component's spaces and
/// percent signs are escaped, so no two keys render alike whatever their components hold.
public enum AttemptKey: Hashable, Sendable {
    /// Failed password checks for one username (in any ASCII case) from one client address.
    case failedLogins(username: String, from: String)
    /// Failed password checks for one username (in any ASCII case) from every client.
    case failedLoginsEverywhere(username: String)
    /// Accounts created from one client address.
    case signUps(from: String)
    /// Bearer tokens issued to one account.
    case tokenIssues(OwnerID)
    /// Trips created by one account.
    case tripCreations(OwnerID)
    /// Invitations created by one account.
    case invitations(OwnerID)

    /// The key the store keeps the window under.
    public var stored: String {
        switch self {
        case .failedLogins(let username, let address): "login \(Self.escaped(username.lowercasedASCII)) from \(Self.escaped(address))"
        case .failedLoginsEverywhere(let username): "login \(Self.escaped(username.lowercasedASCII))"
        case .signUps(let address): "signup from \(Self.escaped(address))"
        case .tokenIssues(let owner): "tokens for \(owner)"
        case .tripCreations(let owner): "trips created by \(owner)"
        case .invitations(let owner): "invitations by \(owner)"
        }
    }

    private static func escaped(_ component: String) -> String {
        component.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: " ", with: "%20")
    }
}

/// Stored attempt keys: a few named exactly, and every key from `lowerBound` up to but not including `upperBound`.
public struct AttemptKeyRange: Hashable, Sendable {
    public let exact: [String]
    public let lowerBound: String?
    public let upperBound: String?

    /// Failed logins against `username`: from `client` alone, or from every client and all of them together.
    public static func logins(of username: String, from client: String? = nil) -> AttemptKeyRange {
        if let client {
            return AttemptKeyRange(exact: [AttemptKey.failedLogins(username: username, from: client).stored], lowerBound: nil, upperBound: nil)
        }
        // Escaped, a username holds no space, so every per-client key of this name, and only those, starts so.
        let perClient = AttemptKey.failedLogins(username: username, from: "").stored
        return AttemptKeyRange(
            exact: [AttemptKey.failedLoginsEverywhere(username: username).stored],
            lowerBound: perClient, upperBound: String(perClient.dropLast()) + "!")
    }
}
