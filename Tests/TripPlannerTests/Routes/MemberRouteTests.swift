@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TripCore

/// Planning together over HTTP: invitations by link, joining, members and their roles, and what each person may do.
@Suite struct MemberRouteTests {
    enum Actor: String, CaseIterable, CustomTestStringConvertible {
        case owner, editor, viewer, former, stranger
        var testDescription: String { rawValue }
    }

    /// Alice's trip with a share link and a pending invitation; Bob its editor, Carol and Erin viewers, Frank a
    /// member who left, Dave a stranger.
    struct World {
        let trip: String
        let share: String
        let invitation: String
        let auth: [Actor: HTTPFields]
    }

    private func world(_ client: some TestClientProtocol) async throws -> World {
        let alice = try await client.signUp("alice")
        let trip = try #require(try await client.createTrip(alice)["id"] as? String)
        let share = try await client.executeJSON(uri: "/trips/\(trip)/shares", method: .post, headers: alice, body: json("{}"))
        var auth: [Actor: HTTPFields] = [.owner: alice]
        for (name, role, actor) in [("bob", "editor", Actor.editor), ("carol", "viewer", .viewer), ("erin", "viewer", nil), ("frank", "viewer", .former)] {
            let member = try await client.signUp(name)
            let joined = try await join(client, trip, as: role, by: alice, member)
            #expect(joined.status == .ok)
            if let actor { auth[actor] = member }
        }
        let left = try await client.execute(uri: "/trips/\(trip)/members/frank", method: .delete, headers: try #require(auth[.former]))
        #expect(left.status == .noContent)
        auth[.stranger] = try await client.signUp("dave")
        let pending = try await invite(client, trip, as: "viewer", by: alice)
        return World(
            trip: trip, share: try #require(share.object["id"] as? String), invitation: try #require(pending.object["id"] as? String),
            auth: auth)
    }

    private func invite(_ client: some TestClientProtocol, _ trip: String, as role: String, by auth: HTTPFields) async throws -> TestResponse {
        try await client.executeJSON(uri: "/trips/\(trip)/invitations", method: .post, headers: auth, body: json(#"{"role":"\#(role)"}"#))
    }

    private func join(
        _ client: some TestClientProtocol, _ trip: String, as role: String, by owner: HTTPFields, _ member: HTTPFields
    ) async throws -> TestResponse {
        let url = try #require(try await invite(client, trip, as: role, by: owner).object["url"] as? String)
        return try await client.execute(uri: url, method: .post, headers: member)
    }

    /// Every route and verb that names a trip, with what each actor gets; run in this order, destructive ones last.
    static let matrix: [(verb: HTTPRequest.Method, path: String, body: String?, expected: [Actor: Int])] = {
        let read = [Actor.owner: 200, .editor: 200, .viewer: 200, .former: 404, .stranger: 404]
        func ownerOnly(_ success: Int) -> [Actor: Int] { [.owner: success, .editor: 403, .viewer: 403, .former: 404, .stranger: 404] }
        return [
            (.get, "/trips/{id}", nil, read),
            (.head, "/trips/{id}", nil, read),
            (.get, "/trips/{id}?format=geojson", nil, read),
            (.get, "/trips/{id}?format=gpx", nil, read),
            (.get, "/trips/{id}/members", nil, read),
            (.put, "/trips/{id}", #"{"name":"Put","waypoints":[]}"#, [.owner: 200, .editor: 200, .viewer: 403, .former: 404, .stranger: 404]),
            (.patch, "/trips/{id}", #"{"name":"Patched"}"#, [.owner: 200, .editor: 200, .viewer: 403, .former: 404, .stranger: 404]),
            (.get, "/trips/{id}/shares", nil, ownerOnly(200)),
            (.post, "/trips/{id}/shares", "{}", ownerOnly(201)),
            (.delete, "/trips/{id}/shares/{share}", nil, ownerOnly(204)),
            (.get, "/trips/{id}/invitations", nil, ownerOnly(200)),
            (.post, "/trips/{id}/invitations", #"{"role":"viewer"}"#, ownerOnly(201)),
            (.delete, "/trips/{id}/invitations/{invitation}", nil, ownerOnly(204)),
            (.put, "/trips/{id}/members/erin", #"{"role":"editor"}"#, ownerOnly(200)),
            (.delete, "/trips/{id}/members/erin", nil, ownerOnly(204)),
            (.delete, "/trips/{id}", nil, ownerOnly(204)),
        ]
    }()

    @Test(arguments: Backend.all, Actor.allCases)
    func eachRoleGetsWhatItMayAndAStrangerWhatANonexistentTripGives(backend: Backend, actor: Actor) async throws {
        try await withApp(backend) { client in
            let world = try await world(client)
            let auth = try #require(world.auth[actor])
            let listed = try await client.execute(uri: "/trips", method: .get, headers: auth).array.compactMap { $0["id"] as? String }
            #expect(listed.contains(world.trip) == [.owner, .editor, .viewer].contains(actor), "GET /trips")
            let absent = "000000000000000000000000"
            for (verb, template, body, expected) in Self.matrix {
                let path = template.replacingOccurrences(of: "{share}", with: world.share)
                    .replacingOccurrences(of: "{invitation}", with: world.invitation)
                var headers = auth
                if body != nil { headers[.contentType] = verb == .patch ? "application/merge-patch+json" : "application/json" }
                let answer = try await client.execute(
                    uri: path.replacingOccurrences(of: "{id}", with: world.trip), method: verb, headers: headers, body: body.map(json))
                #expect(answer.status.code == expected[actor], "\(verb) \(path)")
                if answer.status.code == 404 {
                    let nonexistent = try await client.execute(
                        uri: path.replacingOccurrences(of: "{id}", with: absent), method: verb, headers: headers, body: body.map(json))
                    #expect(answer.object["detail"] as? String == nonexistent.object["detail"] as? String, "\(verb) \(path)")
                    #expect(answer.object["type"] as? String == nonexistent.object["type"] as? String, "\(verb) \(path)")
                }
                if answer.status.code == 403 { expectProblem(answer, .forbidden) }
            }
        }
    }

    @Test(arguments: Backend.all)
    func anInvitationMakesOneMemberWithItsRoleAndTheTripShowsWhoseItIs(backend: Backend) async throws {
        try await withApp(backend) { client in
            let alice = try await client.signUp("alice")
            let bob = try await client.signUp("bob")
            let carol = try await client.signUp("carol")
            let trip = try #require(try await client.createTrip(alice)["id"] as? String)
            let created = try await invite(client, trip, as: "editor", by: alice)
            #expect(created.status == .created)
            #expect(created.headers[.cacheControl] == "no-store")
            #expect(Set(created.object.keys) == ["id", "url", "role", "createdAt", "expiresAt"])
            let url = try #require(created.object["url"] as? String)
            #expect(url.wholeMatch(of: /\/join\/[A-Za-z0-9_-]{43}/) != nil, "256 bits in base64url")
            let expiry = try #require(ISO8601DateFormatter().date(from: created.object["expiresAt"] as? String ?? ""))
            #expect(abs(expiry.timeIntervalSinceNow - 7 * 86400) < 60, "a week by default")
            let listed = try await client.execute(uri: "/trips/\(trip)/invitations", method: .get, headers: alice).array
            #expect(listed.count == 1 && listed[0]["url"] == nil, "tokens are shown once")

            expectProblem(try await client.execute(uri: url, method: .post, headers: alice), .conflict)
            let joined = try await client.execute(uri: url, method: .post, headers: bob)
            #expect(joined.status == .ok)
            #expect(joined.object["owner"] as? String == "alice")
            #expect(joined.object["role"] as? String == "editor")
            expectProblem(try await client.execute(uri: url, method: .post, headers: carol), .notFound)
            expectProblem(try await client.execute(uri: "/join/not-a-token", method: .post, headers: carol), .notFound)
            #expect(try await client.execute(uri: "/trips/\(trip)/invitations", method: .get, headers: alice).array.isEmpty)

            let members = try await client.execute(uri: "/trips/\(trip)/members", method: .get, headers: bob).array
            #expect(members.map { $0["username"] as? String } == ["alice", "bob"])
            #expect(members.map { $0["role"] as? String } == ["owner", "editor"])
            let seen = try await client.execute(uri: "/trips/\(trip)", method: .get, headers: bob).object
            #expect(seen["owner"] as? String == "alice" && seen["role"] as? String == "editor")
            let filtered = try await client.execute(uri: "/trips?role=editor", method: .get, headers: bob).array
            #expect(filtered.map { $0["id"] as? String } == [trip])
            #expect(try await client.execute(uri: "/trips?role=owner", method: .get, headers: bob).array.isEmpty)
            expectProblem(try await client.execute(uri: "/trips?role=admin", method: .get, headers: bob), .badRequest)
        }
    }

    @Test(arguments: Backend.all)
    func badInvitationsAndRolesAre422AndStoreNothing(backend: Backend) async throws {
        try await withApp(backend) { client in
            let alice = try await client.signUp("alice")
            let trip = try #require(try await client.createTrip(alice)["id"] as? String)
            for body in [#"{"role":"owner"}"#, #"{"role":"admin"}"#, #"{}"#, #"{"role":"viewer","expiresInDays":31}"#,
                         #"{"role":"viewer","expiresInDays":0}"#, #"{"role":"viewer","expiresInDays":1.5}"#, #"[]"#] {
                let answer = try await client.executeJSON(uri: "/trips/\(trip)/invitations", method: .post, headers: alice, body: json(body))
                expectProblem(answer, .unprocessableContent)
            }
            #expect(try await client.execute(uri: "/trips/\(trip)/invitations", method: .get, headers: alice).array.isEmpty)
            let bob = try await client.signUp("bob")
            _ = try await join(client, trip, as: "viewer", by: alice, bob)
            for body in [#"{"role":"owner"}"#, #"{"role":null}"#, #"{}"#] {
                let answer = try await client.executeJSON(uri: "/trips/\(trip)/members/bob", method: .put, headers: alice, body: json(body))
                expectProblem(answer, .unprocessableContent)
            }
            let members = try await client.execute(uri: "/trips/\(trip)/members", method: .get, headers: alice).array
            #expect(members.map { $0["role"] as? String } == ["owner", "viewer"])
            expectProblem(
                try await client.executeJSON(uri: "/trips/\(trip)/members/nobody", method: .put, headers: alice, body: json(#"{"role":"editor"}"#)),
                .notFound)
            expectProblem(try await client.execute(uri: "/trips/\(trip)/members/%00", method: .delete, headers: alice), .notFound)
        }
    }

    @Test(arguments: Backend.all)
    func aRemovedMembersFeedGetsATombstoneAndTheirNextRequestIs404(backend: Backend) async throws {
        try await withApp(backend) { client in
            let alice = try await client.signUp("alice")
            let bob = try await client.signUp("bob")
            let trip = try #require(try await client.createTrip(alice)["id"] as? String)
            _ = try await join(client, trip, as: "editor", by: alice, bob)
            let synced = try await client.execute(uri: "/changes", method: .get, headers: bob).object
            #expect((synced["changes"] as? [[String: Any]])?.compactMap { ($0["trip"] as? [String: Any])?["id"] as? String } == [trip])
            let cursor = try #require(synced["cursor"] as? String)
            let edit = try await client.executeJSON(uri: "/trips/\(trip)", method: .put, headers: alice, body: json(#"{"name":"Edited"}"#))
            #expect(edit.status == .ok)
            let edited = try await client.execute(uri: "/changes?since=\(cursor)", method: .get, headers: bob).object
            let change = (edited["changes"] as? [[String: Any]])?.first?["trip"] as? [String: Any]
            #expect(change?["name"] as? String == "Edited" && change?["role"] as? String == "editor")
            let next = try #require(edited["cursor"] as? String)

            #expect(try await client.execute(uri: "/trips/\(trip)/members/bob", method: .delete, headers: alice).status == .noContent)
            expectProblem(try await client.execute(uri: "/trips/\(trip)", method: .get, headers: bob), .notFound)
            let gone = try await client.execute(uri: "/changes?since=\(next)", method: .get, headers: bob).object
            let tombstone = (gone["changes"] as? [[String: Any]])?.first
            #expect(tombstone?["id"] as? String == trip && tombstone?["deleted"] as? Bool == true)
        }
    }

    @Test func everyMemberRouteWantsCredentials() async throws {
        try await withApp(.sqliteMemory) { client in
            let alice = try await client.signUp("alice")
            let trip = try #require(try await client.createTrip(alice)["id"] as? String)
            let url = try #require(try await invite(client, trip, as: "viewer", by: alice).object["url"] as? String)
            for (verb, path) in [(HTTPRequest.Method.post, "/trips/\(trip)/invitations"), (.get, "/trips/\(trip)/invitations"),
                                 (.delete, "/trips/\(trip)/invitations/000000000000000000000000"), (.post, url),
                                 (.get, "/trips/\(trip)/members"), (.put, "/trips/\(trip)/members/alice"),
                                 (.delete, "/trips/\(trip)/members/alice")] {
                for headers in [HTTPFields(), basic("alice", "wrong password")] {
                    let answer = try await client.execute(uri: path, method: verb, headers: headers)
                    expectProblem(answer, .unauthorized)
                }
            }
            #expect(try await client.execute(uri: "/trips/\(trip)/invitations", method: .get, headers: alice).array.count == 1)
        }
    }

    /// A member's entity tag holds their role, as the representation does: a new role is a new tag, so a cached copy
    /// is not answered 304 with the old role; a write's precondition compares the version alone.
    @Test(arguments: Backend.all)
    func aMembersEntityTagChangesWithTheirRoleAndPreconditionsCompareVersions(backend: Backend) async throws {
        try await withApp(backend) { client in
            let alice = try await client.signUp("alice")
            let bob = try await client.signUp("bob")
            let trip = try #require(try await client.createTrip(alice)["id"] as? String)
            let joined = try await join(client, trip, as: "viewer", by: alice, bob)
            #expect(joined.headers[.eTag] == "\"1-viewer\"")
            let owners = try await client.execute(uri: "/trips/\(trip)", method: .get, headers: alice)
            #expect(owners.headers[.eTag] == "\"1\"")
            var cached = bob
            cached[.ifNoneMatch] = "\"1-viewer\""
            #expect(try await client.execute(uri: "/trips/\(trip)", method: .get, headers: cached).status == .notModified)
            let promoted = try await client.executeJSON(
                uri: "/trips/\(trip)/members/bob", method: .put, headers: alice, body: json(#"{"role":"editor"}"#))
            #expect(promoted.status == .ok)
            let fresh = try await client.execute(uri: "/trips/\(trip)", method: .get, headers: cached)
            #expect(fresh.status == .ok && fresh.object["role"] as? String == "editor" && fresh.headers[.eTag] == "\"1-editor\"")
            for tag in ["\"1-editor\"", "\"2\""] {
                var conditional = bob
                conditional[.ifMatch] = tag
                let put = try await client.executeJSON(uri: "/trips/\(trip)", method: .put, headers: conditional, body: json(#"{"name":"Bob's"}"#))
                #expect(put.status == .ok, "If-Match: \(tag)")
            }
            #expect(try await client.execute(uri: "/trips/\(trip)", method: .get, headers: alice).headers[.eTag] == "\"3\"")
            var stale = bob
            stale[.ifMatch] = "\"2-editor\""
            expectProblem(
                try await client.executeJSON(uri: "/trips/\(trip)", method: .put, headers: stale, body: json(#"{"name":"x"}"#)),
                .preconditionFailed)
        }
    }

    @Test(arguments: Backend.all)
    func theNextPageOfOneRoleStaysInThatRole(backend: Backend) async throws {
        try await withApp(backend) { client in
            let alice = try await client.signUp("alice")
            let bob = try await client.signUp("bob")
            var viewed: [String] = []
            for _ in 0..<3 {
                _ = try await client.createTrip(bob)
                let trip = try #require(try await client.createTrip(alice)["id"] as? String)
                _ = try await join(client, trip, as: "viewer", by: alice, bob)
                viewed.append(trip)
            }
            var seen: [String] = []
            var next: String? = "/trips?limit=1&role=viewer"
            while let uri = next, seen.count < 10 {
                let page = try await client.execute(uri: uri, method: .get, headers: bob)
                seen += page.array.compactMap { $0["id"] as? String }
                next = page.headers[.link].flatMap { $0.firstMatch(of: /<([^>]+)>/).map { String($0.1) } }
            }
            #expect(seen == viewed)
        }
    }
}
