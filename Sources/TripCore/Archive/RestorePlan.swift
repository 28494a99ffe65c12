/// What a store holds of the records one restore batch names, as `RestorePlan.Lookup` asks for it.
public struct RestoreHoldings: Sendable {
    /// The password hash of each account held.
    public var passwordHashes: [OwnerID: String] = [:]
    /// The account holding each username, by the name in ASCII lower case.
    public var usernames: [String: OwnerID] = [:]
    public var tokens: Set<String> = []
    public var trips: [TripID: (owner: OwnerID, version: Int)] = [:]
    /// Trips deleted, their tombstones not yet purged.
    public var tombstones: Set<TripID> = []
    public var shares: Set<ShareID> = []
    /// The share holding each token digest.
    public var shareTokens: [String: ShareID] = [:]
    /// Memberships by `ArchiveRecord.archiveKey`: the trip's id, then the member's.
    public var members: Set<String> = []
    public var invitations: Set<InvitationID> = []
    /// The invitation holding each token digest.
    public var invitationTokens: [String: InvitationID] = [:]
    public var auditEvents: Set<ObjectID> = []

    public init() {}
}

/// What to write for one restore batch, decided once for every store: each record inserted, a trip replaced by a
/// newer version, or the record skipped as already held; or the first record, in `Kind` order, that may not join
/// the store, and why. See `ArchivableStore.restore`.
public struct RestorePlan: Sendable {
    public enum Step: Sendable {
        case insert(ArchiveRecord)
        case replace(Trip)
    }

    /// The keys of the batch a store looks up, each a set of what `RestoreHoldings` holds by it.
    public struct Lookup: Sendable {
        public var owners: Set<OwnerID> = []
        public var usernames: Set<String> = []
        public var tokens: Set<String> = []
        /// Trips of trip records, shares and tombstones: a tombstone is skipped for a trip held live or deleted.
        public var trips: Set<TripID> = []
        public var shares: Set<ShareID> = []
        public var shareTokens: Set<String> = []
        /// Memberships by trip and member.
        public var members: Set<String> = []
        public var invitations: Set<InvitationID> = []
        public var invitationTokens: Set<String> = []
        public var auditEvents: Set<ObjectID> = []
    }

    /// The writes in `Kind` order, each kind in batch order.
    public let steps: [Step]

    public static func lookup(_ records: [ArchiveRecord]) -> Lookup {
        var lookup = Lookup()
        for record in records {
            if let owner = record.owner { lookup.owners.insert(owner) }
            switch record {
            case .user(let account):
                lookup.owners.insert(account.user.id)
                lookup.usernames.insert(account.user.username.lowercasedASCII)
            case .token(let token): lookup.tokens.insert(token.digest)
            case .trip(let trip): lookup.trips.insert(trip.id)
            case .share(let share, let digest):
                lookup.trips.insert(share.trip)
                lookup.shares.insert(share.id)
                lookup.shareTokens.insert(digest)
            case .member(let membership):
                lookup.trips.insert(membership.trip)
                lookup.owners.insert(membership.member)
                lookup.members.insert(record.archiveKey)
            case .invitation(let invitation, _, let digest):
                lookup.trips.insert(invitation.trip)
                lookup.invitations.insert(invitation.id)
                lookup.invitationTokens.insert(digest)
            case .tombstone(let tombstone): lookup.trips.insert(tombstone.trip)
            case .audit(let event): lookup.auditEvents.insert(event.id)
            }
        }
        return lookup
    }

    /// Throws `RestoreConflict` for the first record, in `Kind` order, that may not join a store holding `held`.
    public init(_ records: [ArchiveRecord], accounts: AccountHashes, held: RestoreHoldings) throws {
        var held = held
        var steps: [Step] = []
        for index in records.indices.sorted(by: { (records[$0].kind, $0) < (records[$1].kind, $1) }) {
            let record = records[index]
            do {
                if let step = try Self.step(record, accounts: accounts, held: &held) { steps.append(step) }
            } catch let refusal as Refusal {
                throw RestoreConflict(index: index, reason: refusal.reason)
            }
        }
        self.steps = steps
    }

    private struct Refusal: Error {
        let reason: String
    }

    /// What to write for `record`, counting it into `held`; nil when the store holds it already.
    private static func step(_ record: ArchiveRecord, accounts: AccountHashes, held: inout RestoreHoldings) throws -> Step? {
        if let owner = record.owner, let refusal = accounts.refusal(record, stored: held.passwordHashes[owner]) {
            throw Refusal(reason: refusal)
        }
        if case .member(let membership) = record,
            let refusal = accounts.refusal(record, of: membership.member, stored: held.passwordHashes[membership.member])
        {
            throw Refusal(reason: refusal)
        }
        func requireOwner(_ owner: OwnerID, _ reason: @autoclosure () -> String) throws {
            guard held.passwordHashes[owner] != nil else { throw Refusal(reason: reason()) }
        }
        switch record {
        case .user(let account):
            let (user, key) = (account.user, account.user.username.lowercasedASCII)
            guard held.passwordHashes[user.id] == nil else { return nil }
            if let holder = held.usernames[key], holder != user.id {
                throw Refusal(reason: "username \(user.username) already exists under another id")
            }
            held.passwordHashes[user.id] = account.passwordHash
            held.usernames[key] = user.id
        case .token(let token):
            guard held.tokens.insert(token.digest).inserted else { return nil }
            try requireOwner(token.owner, "token names user \(token.owner), who does not exist")
        case .trip(let trip):
            let stored = held.trips[trip.id]
            if let stored {
                guard stored.owner == trip.owner else { throw Refusal(reason: "trip \(trip.id) belongs to another user") }
                guard trip.version > stored.version else { return nil }
            } else {
                try requireOwner(trip.owner, "trip \(trip.id) names user \(trip.owner), who does not exist")
            }
            held.trips[trip.id] = (trip.owner, trip.version)
            return stored == nil ? .insert(record) : .replace(trip)
        case .share(let share, let digest):
            guard !held.shares.contains(share.id) else { return nil }
            guard held.trips[share.trip]?.owner == share.owner else {
                throw Refusal(reason: "share \(share.id) is of trip \(share.trip), which user \(share.owner) does not hold")
            }
            if let holder = held.shareTokens[digest], holder != share.id {
                throw Refusal(reason: "share \(share.id) has the token of another share")
            }
            held.shares.insert(share.id)
            held.shareTokens[digest] = share.id
        case .member(let membership):
            guard held.members.insert(record.archiveKey).inserted else { return nil }
            guard held.trips[membership.trip]?.owner == membership.owner else {
                throw Refusal(reason: "a member of trip \(membership.trip), which user \(membership.owner) does not hold")
            }
            guard membership.member != membership.owner, membership.role != .owner else {
                throw Refusal(reason: "the owner of trip \(membership.trip) cannot also be its member")
            }
            try requireOwner(membership.member, "a member of trip \(membership.trip) is user \(membership.member), who does not exist")
        case .invitation(let invitation, let owner, let digest):
            guard !held.invitations.contains(invitation.id) else { return nil }
            guard held.trips[invitation.trip]?.owner == owner else {
                throw Refusal(reason: "invitation \(invitation.id) is to trip \(invitation.trip), which user \(owner) does not hold")
            }
            guard invitation.role != .owner else { throw Refusal(reason: "invitation \(invitation.id) cannot make an owner") }
            if let holder = held.invitationTokens[digest], holder != invitation.id {
                throw Refusal(reason: "invitation \(invitation.id) has the token of another invitation")
            }
            held.invitations.insert(invitation.id)
            held.invitationTokens[digest] = invitation.id
        case .tombstone(let tombstone):
            guard held.trips[tombstone.trip] == nil, held.tombstones.insert(tombstone.trip).inserted else { return nil }
            try requireOwner(tombstone.owner, "deleted trip \(tombstone.trip) names user \(tombstone.owner), who does not exist")
        case .audit(let event):
            guard held.auditEvents.insert(event.id).inserted else { return nil }
        }
        return .insert(record)
    }
}
