@testable import API
import Foundation
import Synchronization
import Hummingbird
import HummingbirdTesting
import Testing
import TripCore

/// `PATCH /trips/{id}`: RFC 7396 merge patches and RFC 6902 JSON Patches of a trip's name and waypoints.
@Suite struct PatchRouteTests {
    static let trip = #"{"name":"Alps","waypoints":[{"name":"Geneva","latitude":46.2,"longitude":6.1},"# +
        #"{"name":"Zermatt","latitude":46,"longitude":7.7},{"name":"Milan","latitude":45.5,"longitude":9.2}]}"#

    private func patch(
        _ client: some TestClientProtocol, _ uri: String, _ auth: HTTPFields, _ type: String, _ body: String,
        _ headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .patch, headers: auth + headers + [.contentType: type], body: json(body))
    }

    private func stops(_ response: TestResponse) -> [String] {
        (response.object["waypoints"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    @Test(arguments: Backend.all)
    func aMergePatchChangesOnlyWhatItNamesAndReplacesArraysWhole(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let uri = "/trips/\(try #require(try await client.createTrip(auth, Self.trip)["id"] as? String))"
            let renamed = try await patch(client, uri, auth, "application/merge-patch+json", #"{"name":"Alps 2027","version":9}"#)
            #expect(renamed.status == .ok)
            #expect(renamed.object["name"] as? String == "Alps 2027")
            #expect(stops(renamed) == ["Geneva", "Zermatt", "Milan"])
            #expect(renamed.headers[.eTag] == "\"2\"")
            let shortened = try await patch(
                client, uri, auth, "application/merge-patch+json", #"{"waypoints":[{"name":"Turin","latitude":45,"longitude":7.6}]}"#)
            #expect(stops(shortened) == ["Turin"])
            #expect(shortened.object["name"] as? String == "Alps 2027")

            let unnamed = try await patch(client, uri, auth, "application/merge-patch+json", #"{"name":null}"#)
            expectProblem(unnamed, .unprocessableContent)
            #expect((unnamed.object["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/name")
            expectProblem(try await patch(client, uri, auth, "application/merge-patch+json", #"{"name":"#), .badRequest)
            expectProblem(try await patch(client, uri, auth, "application/json", #"{"name":"x"}"#), .unsupportedMediaType)
            expectProblem(
                try await patch(client, uri, auth, "application/merge-patch+json", #"{"name":"x"}"#, [.ifMatch: #""1""#]),
                .preconditionFailed)
            let unchanged = try await client.execute(uri: uri, method: .get, headers: auth)
            #expect(unchanged.object["version"] as? Int == 3)
            #expect(unchanged.object["name"] as? String == "Alps 2027")
        }
    }

    @Test
    func aJSONPatchAppliesEveryOperationInOrder() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let uri = "/trips/\(try #require(try await client.createTrip(auth, Self.trip)["id"] as? String))"
            let operations = """
                [{"op":"test","path":"/waypoints/0/name","value":"Geneva"},
                 {"op":"replace","path":"/name","value":"Alps by train"},
                 {"op":"add","path":"/waypoints/1","value":{"name":"Lausanne","latitude":46.5,"longitude":6.6}},
                 {"op":"move","from":"/waypoints/3","path":"/waypoints/0"},
                 {"op":"copy","from":"/waypoints/1","path":"/waypoints/-"},
                 {"op":"remove","path":"/waypoints/3"},
                 {"op":"replace","path":"/waypoints/0/latitude","value":45.46}]
                """
            let patched = try await patch(client, uri, auth, "application/json-patch+json", operations, [.ifMatch: #""1""#])
            #expect(patched.status == .ok)
            #expect(patched.object["name"] as? String == "Alps by train")
            #expect(stops(patched) == ["Milan", "Geneva", "Lausanne", "Geneva"])
            #expect((patched.object["waypoints"] as? [[String: Any]])?.first?["latitude"] as? Double == 45.46)
            #expect(patched.headers[.eTag] == "\"2\"")
        }
    }

    /// Forty copies of the waypoints into themselves: twice as many values each time.
    static let copyBomb = "[" + Array(repeating: #"{"op":"copy","from":"/waypoints","path":"/waypoints/0"}"#, count: 40)
        .joined(separator: ",") + "]"

    /// A value under a field validation ignores, one level deeper than a request body may nest.
    static let deepAdd = #"[{"op":"add","path":"/waypoints/0/x","value":"# + String(repeating: #"{"x":"#, count: 30) + "1"
        + String(repeating: "}", count: 30) + "}]"
    /// A waypoint copied into its own innermost field: each operation is shallow, the result is not.
    static let deepCopy = #"[{"op":"add","path":"/waypoints/0/x","value":"# + String(repeating: #"{"x":"#, count: 15) + "1"
        + String(repeating: "}", count: 15) + #"},{"op":"copy","from":"/waypoints/0","path":"/waypoints/0"#
        + String(repeating: "/x", count: 16) + #""}]"#

    static let refusals: [(String, HTTPResponse.Status)] = [
        (#"{"op":"replace","path":"/name","value":"x"}"#, .badRequest),
        (#"[{"op":"rename","path":"/name","value":"x"}]"#, .badRequest),
        (#"[{"op":"replace","path":"/version","value":9}]"#, .badRequest),
        (#"[{"op":"replace","path":"/name"}]"#, .badRequest),
        (#"[{"op":"move","path":"/waypoints/0"}]"#, .badRequest),
        (#"[{"op":"move","from":"/waypoints","path":"/waypoints/0"}]"#, .badRequest),
        (#"[{"op":"test","path":"/name","value":"Other"}]"#, .conflict),
        (#"[{"op":"replace","path":"/name","value":"x"},{"op":"remove","path":"/waypoints/7"}]"#, .conflict),
        (#"[{"op":"add","path":"/waypoints/01","value":{}}]"#, .conflict),
        (#"[{"op":"replace","path":"/waypoints/0/latitude","value":200}]"#, .unprocessableContent),
        (#"[{"op":"remove","path":"/name"}]"#, .unprocessableContent),
        (copyBomb, .unprocessableContent),
        (nestingBomb, .unprocessableContent),
        (deepAdd, .unprocessableContent),
        (deepCopy, .unprocessableContent),
    ]

    /// Copies that each double how deep `/waypoints` nests, about 19,400 levels in all while copying fewer values than
    /// the copy budget allows; this once overflowed the stack.
    static let nestingBomb: String = {
        var depth = 28
        var operations = [#"{"op":"add","path":"/waypoints","value":"# + String(repeating: "[", count: depth)
            + String(repeating: "]", count: depth) + "}"]
        func innermost(_ depth: Int) -> String { "/waypoints" + String(repeating: "/0", count: depth - 1) + "/-" }
        for _ in 0..<9 {
            operations.append(#"{"op":"copy","from":"/waypoints","path":""# + innermost(depth) + #""}"#)
            depth *= 2
        }
        let from = "/waypoints" + String(repeating: "/0", count: depth - 5_100)
        operations.append(#"{"op":"copy","from":""# + from + #"","path":""# + innermost(depth) + #""}"#)
        return "[" + operations.joined(separator: ",") + "]"
    }()

    @Test(arguments: refusals)
    func aFailingJSONPatchChangesNothing(operations: String, status: HTTPResponse.Status) async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let uri = "/trips/\(try #require(try await client.createTrip(auth, Self.trip)["id"] as? String))"
            let refused = try await patch(client, uri, auth, "application/json-patch+json", operations)
            expectProblem(refused, status)
            let unchanged = try await client.execute(uri: uri, method: .get, headers: auth)
            #expect(unchanged.object["version"] as? Int == 1)
            #expect(unchanged.object["name"] as? String == "Alps")
            #expect(stops(unchanged) == ["Geneva", "Zermatt", "Milan"])
        }
    }

    /// Patches that change nothing: the trip comes back as it is, with no new version and nothing in the change feed.
    @Test(arguments: Backend.all)
    func aPatchThatChangesNothingKeepsTheVersion(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let uri = "/trips/\(try #require(try await client.createTrip(auth, Self.trip)["id"] as? String))"
            let cursor = try #require(try await client.execute(uri: "/changes", method: .get, headers: auth).object["cursor"] as? String)
            let patches: [(String, String)] = [
                ("application/json-patch+json", "[]"),
                ("application/json-patch+json", #"[{"op":"test","path":"/name","value":"Alps"}]"#),
                ("application/json-patch+json", #"[{"op":"replace","path":"/waypoints/1/latitude","value":46.0}]"#),
                ("application/merge-patch+json", "{}"),
                ("application/merge-patch+json", #"{"name":"Alps"}"#),
            ]
            for (type, body) in patches {
                let unchanged = try await patch(client, uri, auth, type, body, [.ifMatch: #""1""#])
                #expect(unchanged.status == .ok, "\(body)")
                #expect(unchanged.headers[.eTag] == "\"1\"", "\(body)")
                #expect(stops(unchanged) == ["Geneva", "Zermatt", "Milan"])
            }
            expectProblem(try await patch(client, uri, auth, "application/json-patch+json", "[]", [.ifMatch: #""7""#]), .preconditionFailed)
            let feed = try await client.execute(uri: "/changes?since=\(cursor)", method: .get, headers: auth)
            #expect((feed.object["changes"] as? [Any])?.isEmpty == true)
            #expect(feed.object["cursor"] as? String == cursor)
        }
    }

    /// Without `If-Match` the client set no precondition, so trips that keep changing under the patch are a 409, never a 412.
    @Test func aPatchWithoutPreconditionsThatKeepsMeetingNewerVersionsIsAConflict() async throws {
        try await Backend.sqliteMemory.withStore { store in try await patchWhileTripsChangeMeanwhile(store) }
    }

    private func patchWhileTripsChangeMeanwhile<Store: TripStore>(_ store: Store) async throws {
        let hasher = PasswordHasher(cost: 4)
        let router = Router(context: TripRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        let verifier = CredentialVerifier(store: store, hasher: hasher, clock: .system)
        UserController(
            store: store, hasher: hasher, verifier: verifier, signUps: RateLimit(store: store, allowed: 0, window: 60, refusal: "", clock: .system)
        ).addRoutes(to: router)
        let busy = ChangedMeanwhile(base: store)
        TripController(
            store: busy, verifier: verifier, tripsPerAccount: 10,
            creations: RateLimit(store: busy, allowed: 0, window: 60, refusal: "", clock: .system)
        ).addRoutes(to: router)
        try await Application(router: router, services: [hasher], logger: .quiet).test(.router) { client in
            let auth = try await client.signUp("alice")
            let uri = "/trips/\(try #require(try await client.createTrip(auth, Self.trip)["id"] as? String))"
            let response = try await patch(client, uri, auth, "application/merge-patch+json", #"{"name":"Alps 2027"}"#)
            expectProblem(response, .conflict)
            #expect(!String(buffer: response.body).contains("If-Match"))
            #expect(busy.replaces.withLock { $0 } == 3)
        }
    }
}

/// Trips that another writer changes between every read and every replace.
private final class ChangedMeanwhile<Base: TripRecordStore & AttemptStore>: TripRecordStore, AttemptStore {
    let base: Base
    let replaces = Mutex(0)

    init(base: Base) {
        self.base = base
    }

    func replaceTrip(_ id: TripID, editor: OwnerID, with draft: TripDraft, expectedVersion: Int?) async throws -> Trip {
        replaces.withLock { $0 += 1 }
        let current = try await base.trip(id, reader: editor)
        _ = try await base.replaceTrip(id, editor: editor, with: TripDraft(name: current.name + "!", waypoints: []), expectedVersion: nil)
        return try await base.replaceTrip(id, editor: editor, with: draft, expectedVersion: expectedVersion)
    }

    func createTrip(_ draft: TripDraft, owner: OwnerID, limit: Int) async throws -> Trip {
        try await base.createTrip(draft, owner: owner, limit: limit)
    }
    func trips(reader: OwnerID, role: TripRole?, after: TripID?, bound: ReadBound) async throws -> BoundedRead<Trip> {
        try await base.trips(reader: reader, role: role, after: after, bound: bound)
    }
    func trip(_ id: TripID, reader: OwnerID) async throws -> Trip { try await base.trip(id, reader: reader) }
    func deleteTrip(_ id: TripID, owner: OwnerID, expectedVersion: Int?) async throws {
        try await base.deleteTrip(id, owner: owner, expectedVersion: expectedVersion)
    }
    func takeAttempt(_ key: AttemptKey, limit: Int, window length: TimeInterval, at now: Date) async throws -> AttemptTake {
        try await base.takeAttempt(key, limit: limit, window: length, at: now)
    }
    func giveBackAttempt(_ key: AttemptKey, window ends: Date) async throws {
        try await base.giveBackAttempt(key, window: ends)
    }
}
