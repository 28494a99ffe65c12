#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TripCore

/// Restores an archive into a store, in batches of one transaction each. An archive is trusted as a database dump
/// is, but it adds nothing to an account whose user line and password hash it does not carry, and no token it
/// restores outlives a token issued at the moment of import.
public struct ArchiveImport {
    public let store: any ArchivableStore
    public static let batchSize = 500
    /// The latest expiry a restored token keeps: the server's token lifetime from the start of the import.
    let tokenExpiryLimit: Date
    let clock: WallClock

    public init(store: any ArchivableStore, clock: WallClock) {
        self.store = store
        self.clock = clock
        tokenExpiryLimit = Date(milliseconds: clock.now.milliseconds + Int64(RecordLimits.tokenLifetimeSeconds) * 1000)
    }

    /// Throws unless the store holds nothing an export would hold.
    public func requireEmpty() async throws {
        let counts = try await store.archiveCounts(at: clock.now)
        let held = ArchiveRecord.Kind.allCases.filter { counts[$0, default: 0] > 0 }
        guard held.isEmpty else {
            let listed = held.map { $0.counted(counts[$0]!) }.joined(separator: ", ")
            throw ArchiveError("the target store is not empty (it holds \(listed)); import into it with --merge")
        }
    }

    /// Restores into an empty store, after reading the whole input once to check every line and every reference, so
    /// that bad input writes nothing. Input that cannot be read twice, such as a pipe, is first copied to a file.
    public func restoreChecked(from descriptor: Int32, progress: (Int?) -> ProgressMeter) async throws -> ArchiveTally {
        try await requireEmpty()
        let input = try await Self.rereadable(descriptor)
        defer { if input != descriptor { close(input) } }
        var checker = ArchiveChecker(checksReferences: true)
        let checking = progress(nil)
        let lines = LineReader(descriptor: input)
        try await Self.readHeader(lines)
        while try await lines.next({ line, number throws(ArchiveError) in
            try checker.check(try ArchiveLine.read(line, number: number), line: number)
        }) != nil {
            checking.advance(by: 1)
        }
        checking.clear()
        guard lseek(input, 0, SEEK_SET) == 0 else { throw ArchiveError("cannot read the input a second time") }
        return try await restore(from: input, progress: progress(lines.number - 1))
    }

    /// Restores into any store, line by line; bad input stops it part way, and running it again on fixed input
    /// completes it, since restoring is idempotent.
    public func restore(from descriptor: Int32, progress: ProgressMeter) async throws -> ArchiveTally {
        var checker = ArchiveChecker(checksReferences: false)
        let lines = LineReader(descriptor: descriptor)
        try await Self.readHeader(lines)
        var tally = ArchiveTally()
        var batch: [ArchiveRecord] = []
        var lineNumbers: [Int] = []
        while let (record, number) = try await lines.next({ line, number throws(ArchiveError) in
            let record = try ArchiveLine.read(line, number: number)
            try checker.check(record, line: number)
            tally.add(record.kind, line: Array(line) + [UInt8(ascii: "\n")])
            return (record, number)
        }) {
            batch.append(record)
            lineNumbers.append(number)
            if batch.count == Self.batchSize {
                try await restore(batch, accounts: checker.accounts, lines: lineNumbers, progress: progress)
                (batch, lineNumbers) = ([], [])
            }
        }
        try await restore(batch, accounts: checker.accounts, lines: lineNumbers, progress: progress)
        progress.finish(tally.summary)
        return tally
    }

    /// Restores one batch of records into the accounts whose hashes `accounts` gives, naming the line of one that
    /// conflicts; tokens expire by `tokenExpiryLimit` at the latest.
    public func restore(
        _ batch: [ArchiveRecord], accounts: AccountHashes, lines: [Int]? = nil, progress: ProgressMeter
    ) async throws {
        guard !batch.isEmpty else { return }
        let capped = batch.map { record in
            guard case .token(let token) = record, token.expiresAt > tokenExpiryLimit else { return record }
            return .token(AccessToken(digest: token.digest, owner: token.owner, expiresAt: tokenExpiryLimit))
        }
        do {
            try await store.restore(capped, accounts: accounts)
        } catch let conflict as RestoreConflict {
            throw ArchiveError(line: lines?[conflict.index], conflict.reason)
        }
        progress.advance(by: batch.count)
    }

    private static func readHeader(_ lines: LineReader) async throws {
        guard try await lines.next({ line, _ throws(ArchiveError) in try ArchiveLine.readHeader(line) }) != nil else {
            throw ArchiveError(line: 1, "the input is empty; an archive starts with a header line")
        }
    }

    /// The descriptor itself when it is a regular file; otherwise a copy of its content in an unnamed temporary file.
    private static func rereadable(_ descriptor: Int32) async throws -> Int32 {
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG { return descriptor }
        var template = Array((NSTemporaryDirectory() + "/trip-planner-import-XXXXXX").utf8CString)
        let copy = mkstemp(&template)
        guard copy >= 0 else { throw ArchiveError("cannot make a temporary copy of the input: \(String(cString: strerror(errno)))") }
        unlink(template)
        let output = ArchiveOutput(descriptor: copy)
        while case let chunk = try await LineReader.readChunk(descriptor, on: .singleton), !chunk.isEmpty {
            try await output.append(chunk)
        }
        try await output.flush()
        guard lseek(copy, 0, SEEK_SET) == 0 else { throw ArchiveError("cannot read the temporary copy of the input") }
        return copy
    }
}

/// Checks the order of an archive's lines and gathers the password hash of each account it carries. For an import
/// into an empty store it also checks that every record refers only to records before it (its owner's account, and
/// for a share, membership or invitation the trip just before it) and that no id appears twice.
struct ArchiveChecker {
    let checksReferences: Bool
    private(set) var accounts = AccountHashes()
    private var kind = ArchiveRecord.Kind.user
    private var usernames: [String: OwnerID] = [:]
    private var lastTrip: (id: TripID, owner: OwnerID)?
    /// Ids and digests seen so far, kept as ids rather than text so that a million trips cost tens of megabytes;
    /// a trip's id is one key whether the trip is live or deleted.
    private var users: Set<OwnerID> = []
    private var trips: Set<TripID> = []
    private var shares: Set<ShareID> = []
    private var invitations: Set<InvitationID> = []
    /// Memberships by trip and member.
    private var members: Set<String> = []
    private var auditEvents: Set<ObjectID> = []
    private var digests: Set<String> = []

    init(checksReferences: Bool) {
        self.checksReferences = checksReferences
    }

    mutating func check(_ record: ArchiveRecord, line: Int) throws(ArchiveError) {
        let sectionKind = [.share, .member, .invitation].contains(record.kind) ? .trip : record.kind
        guard sectionKind >= kind else {
            throw ArchiveError(
                line: line,
                "a \(record.kind) record after \(kind) records; users, tokens, trips with their shares, members and invitations, tombstones, then audit events")
        }
        kind = sectionKind
        if case .user(let account) = record {
            if let earlier = accounts[account.user.id], earlier != account.passwordHash {
                throw ArchiveError(line: line, "user \(account.user.id) appears twice with different password hashes")
            }
            accounts[account.user.id] = account.passwordHash
        }
        guard checksReferences else { return }
        switch record {
        case .user(let account):
            try unique(users.insert(account.user.id).inserted, "user \(account.user.id)", line: line)
            let key = account.user.username.lowercasedASCII
            if let holder = usernames[key], holder != account.user.id {
                throw ArchiveError(line: line, "username \(account.user.username) already exists under another id")
            }
            usernames[key] = account.user.id
        case .token(let token):
            try unique(digests.insert("token " + token.digest).inserted, "token \(token.digest)", line: line)
            try known(token.owner, "token names user", line: line)
        case .trip(let trip):
            try unique(trips.insert(trip.id).inserted, "trip \(trip.id)", line: line)
            try known(trip.owner, "trip \(trip.id) names user", line: line)
            lastTrip = (trip.id, trip.owner)
        case .share(let share, let digest):
            try unique(shares.insert(share.id).inserted, "share \(share.id)", line: line)
            try unique(digests.insert("share " + digest).inserted, "the token digest of share \(share.id)", line: line)
            guard share.trip == lastTrip?.id, share.owner == lastTrip?.owner else {
                throw ArchiveError(
                    line: line, "share \(share.id) must follow the line of its trip \(share.trip), held by its owner \(share.owner)")
            }
        case .member(let membership):
            try unique(members.insert(record.archiveKey).inserted, "membership of user \(membership.member) in trip \(membership.trip)", line: line)
            try known(membership.member, "a member of trip \(membership.trip) is user", line: line)
            guard membership.trip == lastTrip?.id, membership.owner == lastTrip?.owner, membership.member != membership.owner else {
                throw ArchiveError(
                    line: line,
                    "member \(membership.member) must follow the line of trip \(membership.trip), held by its owner \(membership.owner), who is not the member")
            }
        case .invitation(let invitation, let owner, let digest):
            try unique(invitations.insert(invitation.id).inserted, "invitation \(invitation.id)", line: line)
            try unique(digests.insert("invitation " + digest).inserted, "the token digest of invitation \(invitation.id)", line: line)
            guard invitation.trip == lastTrip?.id, owner == lastTrip?.owner else {
                throw ArchiveError(
                    line: line, "invitation \(invitation.id) must follow the line of its trip \(invitation.trip), held by its owner \(owner)")
            }
        case .tombstone(let tombstone):
            try unique(trips.insert(tombstone.trip).inserted, "trip \(tombstone.trip)", line: line)
            try known(tombstone.owner, "deleted trip \(tombstone.trip) names user", line: line)
        case .audit(let event):
            try unique(auditEvents.insert(event.id).inserted, "audit event \(event.id)", line: line)
        }
    }

    private func unique(_ inserted: Bool, _ subject: String, line: Int) throws(ArchiveError) {
        guard inserted else { throw ArchiveError(line: line, "\(subject) appears twice in the archive") }
    }

    private func known(_ owner: OwnerID, _ subject: String, line: Int) throws(ArchiveError) {
        guard accounts[owner] != nil else { throw ArchiveError(line: line, "\(subject) \(owner), who is not in the archive") }
    }
}
