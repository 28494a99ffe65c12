import Foundation
import ServiceLifecycle
import StoreMongo
import StoreSQLite
import Testing
import TripCore

/// A server killed with SIGKILL while it deletes accounts leaves each account whole or gone, and nothing of a gone
/// one: no trip, token, share or membership without its owner, after a restart and in an export of the database.
/// Each account is an editor of the previous one's first trip: a member of a gone trip holds a tombstone of it.
@Suite struct AccountDeletionCrashTests {
    static let accounts = 8
    static let tripsEach = 40

    struct Account {
        let name: String
        let id: String
        let source: String
        let bearer: [String: String]
        let basic: [String: String]
        let sharedPage: String
        let sharedTrip: String
        /// The change cursor of the account once every account had joined the previous one's trip.
        var cursor = ""
    }

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func aKillDuringDeletionsLeavesEachAccountWholeOrGone(backend: Backend) async throws {
        let database = try ServerProcess.database(for: backend)
        defer { ServerProcess.removeFiles(of: database) }
        let server = try await ServerProcess(database: database, arguments: ["--signup-limit", "0"])
        let accounts = try await seed(server, database: database)

        // Every other account is deleted; the rest stay whole, each a member of a trip whose owner may be gone.
        let acknowledged = await withTaskGroup(of: String?.self) { group in
            for account in accounts.enumerated().filter({ $0.offset.isMultiple(of: 2) }).map(\.element) {
                group.addTask {
                    let answer = try? await RawHTTP.request("DELETE", port: server.port, "/users", headers: account.basic, from: account.source)
                    return answer?.status == 204 ? account.name : nil
                }
            }
            var acknowledged: Set<String> = []
            if let first = await group.next() {
                server.signal(SIGKILL)
                if let first { acknowledged.insert(first) }
            }
            for await name in group { if let name { acknowledged.insert(name) } }
            return acknowledged
        }
        #expect(await server.exitStatus() != 0)

        let restarted = try await ServerProcess(database: database, arguments: ["--signup-limit", "0"])
        var whole: Set<String> = []
        for account in accounts {
            let owned = "/trips?limit=50&role=owner"
            let byToken = try await RawHTTP.request("GET", port: restarted.port, owned, headers: account.bearer, from: account.source)
            let byPassword = try await RawHTTP.request("GET", port: restarted.port, owned, headers: account.basic, from: account.source)
            let page = try await RawHTTP.request("GET", port: restarted.port, account.sharedPage, from: account.source)
            #expect(byToken.status == byPassword.status, "\(account.name): token \(byToken.status), password \(byPassword.status)")
            if byToken.status == 200 {
                whole.insert(account.name)
                let trips = try JSONSerialization.jsonObject(with: Data(byToken.body.utf8)) as? [Any]
                #expect(trips?.count == Self.tripsEach, "\(account.name)")
                #expect(page.status == 200, "\(account.name)'s shared page: \(page.status)")
                #expect(!acknowledged.contains(account.name), "\(account.name)'s deletion was acknowledged")
            } else {
                #expect(byToken.status == 401, "\(account.name): \(byToken.status)")
                #expect(page.status == 404, "\(account.name)'s shared page: \(page.status)")
            }
        }
        #expect(!acknowledged.isEmpty)
        #expect(accounts.enumerated().allSatisfy { $0.offset.isMultiple(of: 2) || whole.contains($0.element.name) })
        for (index, member) in accounts.enumerated() where whole.contains(member.name) {
            let previous = accounts[(index + accounts.count - 1) % accounts.count]
            let edited = try await RawHTTP.request(
                "GET", port: restarted.port, "/trips?role=editor", headers: member.bearer, from: member.source)
            let ids = (try JSONSerialization.jsonObject(with: Data(edited.body.utf8)) as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == (whole.contains(previous.name) ? [previous.sharedTrip] : []), "\(member.name) in \(previous.name)'s trip")
            let feed = try await RawHTTP.request(
                "GET", port: restarted.port, "/changes?since=\(member.cursor)", headers: member.bearer, from: member.source)
            let changes = Data(feed.body.utf8).jsonObject["changes"] as? [[String: Any]] ?? []
            let tombstone = changes.contains { $0["id"] as? String == previous.sharedTrip && $0["deleted"] as? Bool == true }
            #expect(tombstone == !whole.contains(previous.name), "\(member.name)'s feed: \(changes)")
        }
        restarted.signal(SIGTERM)
        #expect(await restarted.exitStatus() == 0)

        let exported = try await TripPlannerCommand.run(["export", "--database", database])
        #expect(exported.status == 0, "\(exported.errors)")
        let lines = exported.output.split(separator: UInt8(ascii: "\n")).dropFirst().map { Data($0).jsonObject }
        let owners = Set(lines.filter { $0["kind"] as? String == "user" }.compactMap { $0["id"] as? String })
        #expect(owners == Set(accounts.filter { whole.contains($0.name) }.map(\.id)))
        for line in lines where line["kind"] as? String != "user" {
            #expect(owners.contains(line["owner"] as? String ?? ""), "a \(line["kind"] ?? "record") without its owner")
            if line["kind"] as? String == "member" { #expect(owners.contains(line["user"] as? String ?? ""), "a member without an account") }
        }
        for account in accounts where whole.contains(account.name) {
            let trips = lines.filter { $0["kind"] as? String == "trip" && $0["owner"] as? String == account.id }
            #expect(trips.count == Self.tripsEach, "\(account.name)")
        }
    }

    /// Accounts with a token each, trips written straight into the database, and a share of the first trip.
    private func seed(_ server: ServerProcess, database: String) async throws -> [Account] {
        let store: any TripStore & Service = database.hasPrefix("sqlite:")
            ? try SQLiteTripStore(path: String(database.dropFirst("sqlite:".count)))
            : try MongoTripStore(url: database, threads: 4)
        var accounts: [Account] = []
        for index in 0..<Self.accounts {
            let (name, source) = ("user\(index)", "127.0.0.\(20 + index)")
            let basic = ["Authorization": "Basic " + Data("\(name):password\(index)".utf8).base64EncodedString()]
            let created = try await RawHTTP.request(
                "POST", port: server.port, "/users", body: #"{"username":"\#(name)","password":"password\#(index)"}"#, from: source)
            let id = try #require(Data(created.body.utf8).jsonObject["id"] as? String, "\(created.body)")
            let issued = try await RawHTTP.request("POST", port: server.port, "/tokens", headers: basic, from: source)
            let token = try #require(Data(issued.body.utf8).jsonObject["token"] as? String, "\(issued.body)")
            let owner = OwnerID(try #require(ObjectID(id)))
            var first: Trip?
            for number in 0..<Self.tripsEach {
                let waypoints = [Waypoint(name: "Stop", latitude: Double(number) / 10, longitude: 1)]
                let trip = try await store.createTrip(TripDraft(name: "Trip \(number)", waypoints: waypoints), owner: owner, limit: 1_000)
                first = first ?? trip
            }
            let sharedTrip = try #require(first).id.description
            let shared = try await RawHTTP.request(
                "POST", port: server.port, "/trips/\(sharedTrip)/shares", headers: ["Authorization": "Bearer \(token)"], from: source)
            let page = try #require(Data(shared.body.utf8).jsonObject["url"] as? String, "\(shared.body)")
            accounts.append(Account(
                name: name, id: id, source: source, bearer: ["Authorization": "Bearer \(token)"], basic: basic,
                sharedPage: page, sharedTrip: sharedTrip))
        }
        try await store.close()
        for (index, owner) in accounts.enumerated() {
            let member = accounts[(index + 1) % accounts.count]
            let invited = try await RawHTTP.request(
                "POST", port: server.port, "/trips/\(owner.sharedTrip)/invitations", headers: owner.bearer, body: #"{"role":"editor"}"#,
                from: owner.source)
            let url = try #require(Data(invited.body.utf8).jsonObject["url"] as? String, "\(invited.body)")
            #expect(try await RawHTTP.request("POST", port: server.port, url, headers: member.bearer, from: member.source).status == 200)
        }
        for index in accounts.indices {
            var cursor: String?
            repeat {
                let query = "/changes?limit=1000" + (cursor.map { "&since=\($0)" } ?? "")
                let page = try await RawHTTP.request("GET", port: server.port, query, headers: accounts[index].bearer, from: accounts[index].source)
                let body = Data(page.body.utf8).jsonObject
                cursor = try #require(body["cursor"] as? String)
                if body["hasMore"] as? Bool == false { break }
            } while true
            accounts[index].cursor = try #require(cursor)
        }
        return accounts
    }
}
