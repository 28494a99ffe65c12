/// What a person may do with a trip. The owner created it; members joined by an invitation.
public enum TripRole: String, Hashable, Sendable, CaseIterable {
    /// Reads, replaces, patches and deletes the trip, and manages its share links, invitations and members.
    case owner
    /// Reads the trip in every format, and replaces or patches it.
    case editor
    /// Reads the trip in every format.
    case viewer

    public var mayEdit: Bool { self != .viewer }

    /// The roles an invitation or a member can hold: every one but the owner's.
    public static let memberRoles: [TripRole] = [.editor, .viewer]
}

/// How one reader sees a trip: whose it is, and the reader's role in it.
public struct TripAccess: Hashable, Sendable {
    /// The owner's username.
    public let ownerName: String
    public let role: TripRole

    public init(ownerName: String, role: TripRole) {
        self.ownerName = ownerName
        self.role = role
    }
}
