/// The password hash an archive gives each account whose user line it carries. An archive adds a token, trip, share,
/// membership, invitation or tombstone only to an account whose hash in the store is the one it gives (for a
/// membership, both the trip's owner's and the member's), so it adds only to accounts it made or could sign in to,
/// never to someone else's.
public struct AccountHashes: Sendable {
    private var hashes: [OwnerID: String] = [:]

    public init() {}

    public subscript(owner: OwnerID) -> String? {
        get { hashes[owner] }
        set { hashes[owner] = newValue }
    }

    /// Why `record` may not be added to its owner's account, whose hash in the store is `stored`; nil when it may, or
    /// when the store holds no such account, which the store reports in its own words.
    public func refusal(_ record: ArchiveRecord, stored: String?) -> String? {
        guard let owner = record.owner else { return nil }
        return refusal(record, of: owner, stored: stored)
    }

    /// Why `record` may not be added to `account`, whose hash in the store is `stored`, as `refusal(_:stored:)` says.
    public func refusal(_ record: ArchiveRecord, of owner: OwnerID, stored: String?) -> String? {
        guard let stored else { return nil }
        guard let given = hashes[owner] else {
            return "\(record.kind) \(record.archiveKey) is of user \(owner), whose user line is not in the archive"
        }
        guard given == stored else {
            return "\(record.kind) \(record.archiveKey) is of user \(owner), whose password hash in the store is not the archive's"
        }
        return nil
    }
}

extension ArchiveRecord {
    /// The account a token, trip, share, membership, invitation or tombstone belongs to (for a membership and an
    /// invitation, the trip's owner, who grants the access); nil for a user.
    public var owner: OwnerID? {
        switch self {
        case .user, .audit: nil
        case .token(let token): token.owner
        case .trip(let trip): trip.owner
        case .share(let share, _): share.owner
        case .member(let membership): membership.owner
        case .invitation(_, let owner, _): owner
        case .tombstone(let tombstone): tombstone.owner
        }
    }
}
