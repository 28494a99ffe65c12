import Foundation
import Testing
import TripCore

/// An archive is trusted as a database dump is, yet `import` still refuses what would hand over an account, keep a
/// token past the server's lifetime, or count a record twice.
@Suite struct ArchiveTrustTests {
    let alice = User(id: OwnerID(), username: "alice", createdAt: Date(milliseconds: 1_700_000_000_000))
    let mallory = User(id: OwnerID(), username: "mallory", createdAt: Date(milliseconds: 1_700_000_000_000))
    static let otherHash = "$2b$04$" + String(repeating: "b", count: 53)
    static let farFuture = Date(milliseconds: 253_402_300_799_000)

    var trip: Trip {
        Trip(
            TripDraft(name: "Alice's", waypoints: [Waypoint(name: "Paris", latitude: 48.8566, longitude: 2.3522)]), owner: alice.id,
            at: Date(milliseconds: 1_700_000_000_000))
    }

    func account(_ user: User, _ hash: String = ArchiveSamples.passwordHash) -> ArchiveRecord {
        .user(Account(user: user, passwordHash: hash))
    }

    /// Imports the records from a file, which the command may leave unread when it refuses early.
    static func run(_ arguments: [String], _ database: String, _ records: [ArchiveRecord]) async throws -> TripPlannerCommand.Outcome {
        let path = try ArchiveSamples.file(ArchiveSamples.lines(records))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await TripPlannerCommand.run(["import", "--database", database, "--input", path] + arguments)
    }

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func aMergeCannotAddATokenATripVersionAShareAMemberOrAnInvitationToAnAccountWithoutItsUserLineAndHash(backend: Backend) async throws {
        try await ArchiveCommandTests.withDatabases([backend]) { databases in
            let trip = trip
            #expect(try await Self.run([], databases[0], [account(alice), .trip(trip)]).status == 0)
            let before = try await ArchiveBadInputTests.exported(databases[0])
            let token = ArchiveRecord.token(AccessToken(digest: "chosen", owner: alice.id, expiresAt: Self.farFuture))
            let newer = Trip(
                id: trip.id, owner: alice.id, name: "Taken", waypoints: trip.waypoints, createdAt: trip.createdAt,
                updatedAt: trip.updatedAt, version: 2)
            let share = ArchiveRecord.share(Share(trip: trip.id, owner: alice.id, expiresAt: nil), tokenDigest: "known")
            let membership = ArchiveRecord.member(
                TripMembership(trip: trip.id, owner: alice.id, member: mallory.id, role: .editor, joinedAt: trip.createdAt))
            let invitation = ArchiveRecord.invitation(
                Invitation(trip: trip.id, role: .editor, createdAt: trip.createdAt, expiresAt: Self.farFuture), owner: alice.id,
                tokenDigest: "planted")
            let malloryTrip = Trip(
                TripDraft(name: "Mallory's", waypoints: []), owner: mallory.id, at: Date(milliseconds: 1_700_000_000_000))
            let aliceDrafted = ArchiveRecord.member(
                TripMembership(trip: malloryTrip.id, owner: mallory.id, member: alice.id, role: .viewer, joinedAt: malloryTrip.createdAt))
            let notCarried = "whose user line is not in the archive"
            let otherHash = "whose password hash in the store is not the archive's"
            let attacks: [([ArchiveRecord], Int, String)] = [
                ([token], 2, notCarried), ([account(mallory), token], 3, notCarried), ([.trip(newer)], 2, notCarried),
                ([.trip(newer), share], 2, notCarried), ([account(alice, Self.otherHash), token], 3, otherHash),
                ([account(mallory), account(alice, Self.otherHash), .trip(newer), share], 4, otherHash),
                ([account(mallory), membership], 3, notCarried), ([account(mallory), invitation], 3, notCarried),
                ([account(mallory), account(alice, Self.otherHash), membership], 4, otherHash),
                ([account(mallory), .trip(malloryTrip), aliceDrafted], 4, notCarried),
            ]
            for (records, line, reason) in attacks {
                let refused = try await Self.run(["--merge"], databases[0], records)
                #expect(refused.status == 1)
                let record = records[line - 2]
                #expect(refused.errors == "trip-planner: line \(line): \(record.kind) \(record.archiveKey) is of user \(alice.id), \(reason)\n")
                #expect(try await ArchiveBadInputTests.exported(databases[0]) == before)
            }
            let own = try await Self.run(["--merge"], databases[0], [account(alice), token, .trip(newer), share])
            #expect(own.status == 0, "an archive with the account's own user line and hash adds to it: \(own.errors)")
            let merged = try await ArchiveBadInputTests.exported(databases[0])
            #expect(merged.contains(#""digest":"chosen""#) && merged.contains(#""name":"Taken""#) && merged.contains(#""tokenDigest":"known""#))
        }
    }

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func aRestoredTokenExpiresNoLaterThanOneIssuedAtTheImport(backend: Backend) async throws {
        try await ArchiveCommandTests.withDatabases([backend, backend]) { databases in
            let soon = Date(milliseconds: Date.storeNow.milliseconds + 60_000)
            let tokens = [
                AccessToken(digest: "forever", owner: alice.id, expiresAt: Self.farFuture),
                AccessToken(digest: "soon", owner: alice.id, expiresAt: soon),
            ]
            for (database, merge) in zip(databases, [[], ["--merge"]]) {
                let start = Date.storeNow
                #expect(try await Self.run(merge, database, [account(alice)] + tokens.map(ArchiveRecord.token)).status == 0)
                let end = Date.storeNow
                let lifetime = Int64(24 * 3600 * 1000)
                let lines = try await ArchiveBadInputTests.exported(database).split(separator: "\n")
                let expiries = try lines.filter { $0.contains(#""kind":"token""#) }.map { line in
                    try #require((Data(line.utf8).jsonObject["expiresAt"] as? NSNumber)?.int64Value)
                }
                #expect(expiries.count == 2)
                let capped = try #require(expiries.first)
                #expect(start.milliseconds + lifetime <= capped && capped <= end.milliseconds + lifetime, "\(merge)")
                #expect(expiries.last == soon.milliseconds, "an earlier expiry is kept")
            }
        }
    }

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func aPlainImportRefusesAnIdTwiceNamingTheLine(backend: Backend) async throws {
        try await ArchiveCommandTests.withDatabases([backend]) { databases in
            let trip = trip
            let token = ArchiveRecord.token(AccessToken(digest: "digest", owner: alice.id, expiresAt: .storeNow.addingTimeInterval(60)))
            let share = Share(trip: trip.id, owner: alice.id, expiresAt: nil)
            let twins: [([ArchiveRecord], Int, String)] = [
                ([account(alice), account(alice)], 3, "user \(alice.id)"),
                ([account(alice), token, token], 4, "token digest"),
                ([account(alice), .trip(trip), .trip(trip)], 4, "trip \(trip.id)"),
                ([account(alice), .trip(trip), .share(share, tokenDigest: "a"), .share(share, tokenDigest: "b")], 5, "share \(share.id)"),
                ([account(alice), .trip(trip), .share(share, tokenDigest: "a"), .share(Share(trip: trip.id, owner: alice.id, expiresAt: nil), tokenDigest: "a")],
                    5, "the token digest of share"),
                ([account(alice), .trip(trip), .tombstone(Tombstone(trip: trip.id, owner: alice.id, deletedAt: .storeNow))], 4, "trip \(trip.id)"),
            ]
            for (records, line, subject) in twins {
                let refused = try await Self.run([], databases[0], records)
                #expect(refused.status == 1)
                #expect(refused.errors.hasPrefix("trip-planner: line \(line): \(subject)"), "\(refused.errors)")
                #expect(refused.errors.hasSuffix(" appears twice in the archive\n"), "\(refused.errors)")
                #expect(try await ArchiveBadInputTests.exported(databases[0]) == ArchiveBadInputTests.emptyArchive)
            }
        }
    }
}
