import Foundation
import Testing

/// A store filled through a real server with one or more of every kind of record an archive holds: Bob is an editor of
/// Alice's shared trip, and an invitation to it is pending.
struct ArchiveFixture {
    /// Alice's bearer token, as a header.
    let auth: [String: String]
    /// Alice's live trips, each with its ETag.
    let etags: [String: String]
    /// A sync cursor of the store, taken after every write.
    let cursor: String

    static let waypoints = #"[{"name":"Paris","latitude":48.8566,"longitude":2.3522},{"name":"Lyon","latitude":45.764,"longitude":4.8357}]"#

    /// Fills the database of `server`.
    init(server: ServerProcess) async throws {
        let port = server.port
        var tokens: [[String: String]] = []
        for name in ["alice", "bob"] {
            let signUp = try await RawHTTP.request("POST", port: port, "/users", body: #"{"username":"\#(name)","password":"password1"}"#)
            #expect(signUp.status == 201)
            let issued = try await RawHTTP.request(
                "POST", port: port, "/tokens", headers: ["Authorization": basic(name, "password1")[.authorization]!])
            tokens.append(["Authorization": "Bearer \(try #require(Data(issued.body.utf8).jsonObject["token"] as? String))"])
            _ = try await Self.create("\(name)'s first", port: port, auth: tokens.last!)
        }
        let auth = tokens[0]
        let replaced = try await Self.create("Replaced", port: port, auth: auth)
        let deleted = try await Self.create("Deleted", port: port, auth: auth)
        let shared = try await Self.create("Shared", port: port, auth: auth)
        let put = try await RawHTTP.request(
            "PUT", port: port, "/trips/\(replaced)", headers: auth, body: #"{"name":"Replaced \"twice\"","waypoints":\#(Self.waypoints)}"#)
        #expect(put.status == 200)
        #expect(try await RawHTTP.request("DELETE", port: port, "/trips/\(deleted)", headers: auth).status == 204)
        #expect(try await RawHTTP.request("POST", port: port, "/trips/\(shared)/shares", headers: auth, body: "{}").status == 201)
        for role in ["editor", "viewer"] {
            let invited = try await RawHTTP.request(
                "POST", port: port, "/trips/\(shared)/invitations", headers: auth, body: #"{"role":"\#(role)"}"#)
            #expect(invited.status == 201)
            if role == "editor" {
                let url = try #require(Data(invited.body.utf8).jsonObject["url"] as? String)
                #expect(try await RawHTTP.request("POST", port: port, url, headers: tokens[1]).status == 200, "bob joins")
            }
        }
        var etags: [String: String] = [:]
        let list = try await RawHTTP.request("GET", port: port, "/trips", headers: auth)
        for trip in try #require(try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [[String: Any]]) {
            let id = try #require(trip["id"] as? String)
            etags[id] = try await RawHTTP.request("GET", port: port, "/trips/\(id)", headers: auth).headers["etag"]
        }
        #expect(etags.count == 3 && etags.values.contains("\"2\""))
        let changes = try await RawHTTP.request("GET", port: port, "/changes", headers: auth)
        self.auth = auth
        self.etags = etags
        cursor = try #require(Data(changes.body.utf8).jsonObject["cursor"] as? String)
    }

    private static func create(_ name: String, port: Int, auth: [String: String]) async throws -> String {
        let created = try await RawHTTP.request(
            "POST", port: port, "/trips", headers: auth, body: #"{"name":"\#(name)","waypoints":\#(waypoints)}"#)
        #expect(created.status == 201)
        return try #require(Data(created.body.utf8).jsonObject["id"] as? String)
    }
}
