import Foundation
import Testing
import TripCore

/// What every store promises the on-call commands.
@Suite struct AccountAdminContractTests {
    let draft = TripDraft(name: "Porto", waypoints: [])

    @Test(arguments: Backend.all)
    func aDisabledAccountIsSeenSoByEveryLookupUntilEnabled(backend: Backend) async throws {
        try await backend.withStore { store in
            let alice = try await store.createUser(username: "alice", passwordHash: "h")
            let later = Date.storeNow.addingTimeInterval(3600)
            try await store.saveToken(AccessToken(digest: "before", owner: alice.id, expiresAt: later))
            let trip = try await store.createTrip(draft, owner: alice.id)
            try await store.createShare(Share(trip: trip.id, owner: alice.id, expiresAt: nil), tokenDigest: "link")
            let bob = try await store.createUser(username: "bob", passwordHash: "h")
            let invitation = Invitation(trip: trip.id, role: .viewer, createdAt: .storeNow, expiresAt: later)
            try await store.createInvitation(invitation, tokenDigest: "invitation", owner: alice.id, limit: 10)
            let disablement = Disablement(since: Date(milliseconds: Date.storeNow.milliseconds), reason: "spam")
            try await store.setDisablement(disablement, of: alice.id)
            try await store.saveToken(AccessToken(digest: "after", owner: alice.id, expiresAt: later))

            #expect(try await store.account(username: "ALICE")?.disablement == disablement)
            #expect(try await store.account(username: "alice")?.user.isDisabled == true)
            for digest in ["before", "after"] {
                #expect(try await store.user(tokenDigest: digest, at: .now)?.isDisabled == true, "token \(digest)")
            }
            #expect(try await store.sharedTrip(tokenDigest: "link", at: .now) == nil)
            #expect(try await store.sharedTripVersion(tokenDigest: "link", at: .now) == nil)
            await #expect(throws: StoreError.notFound, "a disabled owner's invitation opens nothing") {
                try await store.join(tokenDigest: "invitation", member: bob.id, at: .now, limit: 50)
            }
            #expect(try await store.accountSummary(username: "alice", at: .now)?.disablement == disablement)

            try await store.setDisablement(nil, of: alice.id)
            #expect(try await store.account(username: "alice")?.disablement == nil)
            #expect(try await store.user(tokenDigest: "before", at: .now) == alice)
            #expect(try await store.sharedTrip(tokenDigest: "link", at: .now) == trip.stored)
            #expect(try await store.join(tokenDigest: "invitation", member: bob.id, at: .now, limit: 50).access?.role == .viewer)
            await #expect(throws: StoreError.notFound) { try await store.setDisablement(disablement, of: OwnerID()) }
        }
    }

    @Test(arguments: Backend.all)
    func summariesPageByUsernameWithoutCaseAndCountWhatIsLive(backend: Backend) async throws {
        try await backend.withStore { store in
            var ids: [String: OwnerID] = [:]
            for name in ["carol", "Alice", "bob"] { ids[name] = try await store.createUser(username: name, passwordHash: "h").id }
            let alice = try #require(ids["Alice"])
            let soon = Date.storeNow.addingTimeInterval(60)
            try await store.saveToken(AccessToken(digest: "live", owner: alice, expiresAt: soon))
            try await store.saveToken(AccessToken(digest: "stale", owner: alice, expiresAt: Date.storeNow.addingTimeInterval(-60)))
            let trip = try await store.createTrip(draft, owner: alice)
            _ = try await store.createTrip(draft, owner: alice)
            try await store.createShare(Share(trip: trip.id, owner: alice, expiresAt: nil), tokenDigest: "s1")
            try await store.createShare(Share(trip: trip.id, owner: alice, expiresAt: soon), tokenDigest: "s2")

            let first = try await store.accountSummaries(after: nil, limit: 2, at: .now)
            #expect(first.map(\.user.username) == ["Alice", "bob"])
            #expect(first.first.map { [$0.tripsOwned, $0.liveTokens, $0.liveShares] } == [Int]([2, 1, 2]))
            #expect(try await store.accountSummaries(after: "BOB", limit: 2, at: .now).map(\.user.username) == ["carol"])
            let later = try #require(try await store.accountSummary(username: "alice", at: soon.addingTimeInterval(1)))
            #expect([later.tripsOwned, later.liveTokens, later.liveShares] == [Int]([2, 0, 1]))

            let statistics = try await store.statistics(at: .now)
            #expect([statistics.accounts, statistics.trips, statistics.tokens, statistics.shares] == [Int]([3, 2, 1, 2]))
            #expect(statistics.databaseBytes.map { $0 > 0 } ?? (backend == .mongo))
            #expect(try await store.revokeTokens(of: alice) == 2)
            #expect(try await store.user(tokenDigest: "live", at: .now) == nil)
        }
    }

    @Test(arguments: Backend.all)
    func loginWindowsOfOneNameAreReadAndClearedWithoutTouchingOthers(backend: Backend) async throws {
        try await backend.withStore { store in
            let now = Date.storeNow
            let keys: [AttemptKey] = [
                .failedLogins(username: "alice", from: "192.0.2.1"), .failedLogins(username: "ALICE", from: "192.0.2.2"),
                .failedLoginsEverywhere(username: "alice"), .failedLogins(username: "alicex", from: "192.0.2.1"),
                .failedLogins(username: "alic", from: "e from 192.0.2.1"), .signUps(from: "192.0.2.1"),
            ]
            for key in keys { _ = try await store.takeAttempt(key, limit: 5, window: 60, at: now) }
            let alices = Set(keys.prefix(3).map(\.stored))
            #expect(Set(try await store.attemptWindows(.logins(of: "Alice"), at: now).keys) == alices)
            #expect(try await store.attemptWindows(.logins(of: "alice"), at: now.addingTimeInterval(61)).isEmpty)

            #expect(try await store.clearAttempts(.logins(of: "alice", from: "192.0.2.2")) == 1)
            #expect(Set(try await store.attemptWindows(.logins(of: "alice"), at: now).keys) == alices.subtracting([keys[1].stored]))
            #expect(try await store.clearAttempts(.logins(of: "alice")) == 2)
            #expect(try await store.statistics(at: now).attemptWindows == 3, "alicex's, alic's and the sign-ups' stay")
        }
    }

    @Test(arguments: Backend.all)
    func theAuditTrailKeepsEachEventOnceNewestFirst(backend: Backend) async throws {
        try await backend.withStore { store in
            let start = Date(milliseconds: Date.storeNow.milliseconds)
            let events = (0..<3).map { index in
                AuditEvent(
                    id: ObjectID(), at: start.addingTimeInterval(Double(index)), command: "users disable", account: "user\(index)",
                    operatorName: "oncall", host: "ops-1", reason: index == 0 ? nil : "reason \(index)")
            }
            for event in events + events { try await store.recordAudit(event) }
            #expect(try await store.auditEvents(limit: 10) == events.reversed())
            #expect(try await store.auditEvents(limit: 1) == [events[2]])
            #expect(try await store.statistics(at: .now).auditEvents == 3)
        }
    }
}
