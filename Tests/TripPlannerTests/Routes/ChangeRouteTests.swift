@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TripCore

/// `GET /changes`: the change feed over HTTP.
@Suite struct ChangeRouteTests {
    private func changes(_ client: some TestClientProtocol, _ auth: HTTPFields, _ query: String = "") async throws -> TestResponse {
        try await client.execute(uri: "/changes\(query)", method: .get, headers: auth)
    }

    private func ids(_ response: TestResponse) -> [String] {
        (response.object["changes"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test(arguments: Backend.all)
    func syncsTripsAndDeletionsSinceACursor(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let kept = try #require(try await client.createTrip(auth)["id"] as? String)
            let doomed = try #require(try await client.createTrip(auth)["id"] as? String)

            let initial = try await changes(client, auth)
            #expect(initial.status == .ok)
            #expect(initial.headers[.contentType] == "application/json")
            #expect(initial.headers[.cacheControl] == "private, no-cache")
            #expect(ids(initial) == [kept, doomed])
            let first = try #require((initial.object["changes"] as? [[String: Any]])?.first)
            #expect(Set(first.keys) == ["id", "trip"])
            #expect((first["trip"] as? [String: Any])?["version"] as? Int == 1)
            #expect(initial.object["hasMore"] as? Bool == false)
            let cursor = try #require(initial.object["cursor"] as? String)

            let deleted = try await client.execute(uri: "/trips/\(doomed)", method: .delete, headers: auth)
            #expect(deleted.status == .noContent)
            let patched = try await client.execute(
                uri: "/trips/\(kept)", method: .patch, headers: auth + [.contentType: "application/merge-patch+json"],
                body: json(#"{"name":"Renamed"}"#))
            #expect(patched.status == .ok)

            let since = try await changes(client, auth, "?since=\(cursor)")
            let list = try #require(since.object["changes"] as? [[String: Any]])
            #expect(list.count == 2)
            #expect(list.first?["id"] as? String == doomed)
            #expect(list.first?["deleted"] as? Bool == true)
            #expect(list.first.map { Set($0.keys) } == ["id", "deleted"])
            #expect((list.last?["trip"] as? [String: Any])?["name"] as? String == "Renamed")
            #expect(since.object["hasMore"] as? Bool == false)

            let bob = try await client.signUp("bob")
            #expect(ids(try await changes(client, bob, "?since=\(cursor)")).isEmpty, "a feed holds only its caller's trips")
            #expect(try await changes(client, [:]).status == .unauthorized)
        }
    }

    /// Trips whose JSON is longer than what the store counts (quotes escaped, dates, figures): 900 of them passed a
    /// MiB in one page of a thousand.
    @Test(arguments: Backend.all)
    func aPageOfChangesEndsAtAMebibyte(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let waypoints = (0..<13).map { #"{"name":"Stop \#($0) on the way","latitude":45.123456,"longitude":7.654321}"# }
            let trip = #"{"name":""# + String(repeating: #"\""#, count: 200) + #"","waypoints":["#
                + waypoints.joined(separator: ",") + "]}"
            for _ in 0..<900 { _ = try await client.createTrip(auth, trip) }
            var seen: Set<String> = []
            var query = "?limit=1000"
            var pages = 0
            while true {
                let page = try await changes(client, auth, query)
                pages += 1
                #expect(page.body.readableBytes <= Limits.pageBytes, "page \(pages): \(page.body.readableBytes) bytes")
                seen.formUnion(ids(page))
                guard page.object["hasMore"] as? Bool == true, pages < 10 else { break }
                query = "?limit=1000&since=\(try #require(page.object["cursor"] as? String))"
            }
            #expect(pages >= 2)
            #expect(seen.count == 900)
        }
    }

    @Test(arguments: Backend.all)
    func pagesAHundredChangesByDefault(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            for _ in 0..<101 { _ = try await client.createTrip(auth) }
            let first = try await changes(client, auth)
            #expect(ids(first).count == 100)
            #expect(first.object["hasMore"] as? Bool == true)
            let cursor = try #require(first.object["cursor"] as? String)
            let second = try await changes(client, auth, "?since=\(cursor)&limit=1000")
            #expect(ids(second).count == 1)
            #expect(second.object["hasMore"] as? Bool == false)
        }
    }

    @Test func refusesMalformedQueries() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            for query in ["?limit=0", "?limit=1001", "?limit=ten", "?limit=+5", "?limit=%2B5", "?limit=5%20", "?since=", "?since=not-a-cursor", "?since=AAAAAAAAAAAAAAAAAAAAAA%3D%3D",
                          "?since=_____________________w", "?since=AAAAAAAAAAAAAAAAAAAAAB", "?since=AAAAAAAAAAAAAAAAAAAAA",
                          "?since=AAAAAAAAAAAAAAAAAAAAAAA"] {
                expectProblem(try await changes(client, auth, query), .badRequest)
            }
        }
    }

    /// `Last-Event-ID`, which an `EventSource` sends, starts a page as it starts a stream, winning over `since`.
    @Test func aPageStartsAfterLastEventIDWhenOneIsSent() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            _ = try await client.createTrip(auth)
            let cursor = try #require(try await changes(client, auth).object["cursor"] as? String)
            let later = try #require(try await client.createTrip(auth)["id"] as? String)
            let resumed = try await client.execute(uri: "/changes?since=\(cursor)A", method: .get, headers: auth + [.lastEventID: cursor])
            #expect(resumed.status == .ok)
            #expect(ids(resumed) == [later])
            for id in ["", "not-a-cursor", cursor + "=", " "] {
                expectProblem(try await client.execute(uri: "/changes", method: .get, headers: auth + [.lastEventID: id]), .badRequest)
            }
        }
    }

    @Test(arguments: Backend.all)
    func answersACursorItCannotHonourWithGoneAndSyncFromScratch(backend: Backend) async throws {
        try await backend.withStore { store in
            let app = buildApplication(.testing, store: store, logger: .quiet)
            try await app.test(.router) { client in
                let auth = try await client.signUp("alice")
                let doomed = try #require(try await client.createTrip(auth)["id"] as? String)
                let cursor = try #require(try await changes(client, auth).object["cursor"] as? String)
                let foreign = try #require(ChangeCursor(text: cursor)).withFeed { $0 &+ 1 }
                let fromElsewhere = try await changes(client, auth, "?since=\(foreign.text)")
                expectProblem(fromElsewhere, .gone)
                #expect(fromElsewhere.object["type"] as? String == "/problems/sync-from-scratch")

                #expect(try await client.execute(uri: "/trips/\(doomed)", method: .delete, headers: auth).status == .noContent)
                #expect(try await store.purgeTombstones(deletedBefore: Date.now.addingTimeInterval(1)) == 1)
                let expired = try await changes(client, auth, "?since=\(cursor)")
                expectProblem(expired, .gone)
                #expect(expired.object["type"] as? String == "/problems/sync-from-scratch")
                #expect(try await changes(client, auth).status == .ok)
            }
        }
    }
}

extension ChangeCursor {
    fileprivate func withFeed(_ change: (Int64) -> Int64) -> ChangeCursor {
        ChangeCursor(feed: change(feed), position: position)
    }
}
