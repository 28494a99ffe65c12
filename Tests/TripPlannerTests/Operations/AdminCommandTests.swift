import Foundation
import Testing

/// `trip-planner users`, `throttle`, `stats` and `audit` run against a database two servers are serving.
@Suite(.tags(.live)) struct AdminCommandTests {
    private struct Servers {
        let database: String
        let pair: [ServerProcess]

        /// Runs an admin command on the servers' database; `input` is its standard input.
        func admin(_ arguments: [String], input: String? = nil) async throws -> TripPlannerCommand.Outcome {
            try await TripPlannerCommand.run(arguments + ["--database", database], input: input.map { Data($0.utf8) })
        }

        /// The status each server answers a GET with.
        func statuses(_ path: String = "/trips", headers: [String: String]) async throws -> [Int] {
            var statuses: [Int] = []
            for server in pair { statuses.append(try await server.request("GET", path, headers: headers).status) }
            return statuses
        }
    }

    private static func withServers(_ backend: Backend, _ body: (Servers) async throws -> Void) async throws {
        let database = try ServerProcess.database(for: backend)
        defer { ServerProcess.removeFiles(of: database) }
        let first = try await ServerProcess(database: database)
        let second = try await ServerProcess(database: database)
        try await body(Servers(database: database, pair: [first, second]))
        for server in [first, second] { server.signal(SIGTERM) }
        for server in [first, second] { #expect(await server.exitStatus() == 0) }
    }

    private static func basicHeader(_ name: String, _ password: String) -> [String: String] {
        ["Authorization": "Basic " + Data("\(name):\(password)".utf8).base64EncodedString()]
    }

    /// Signs `name` up through the first server and issues a token; returns it as a header.
    private static func signUp(_ name: String, on servers: Servers) async throws -> [String: String] {
        let server = servers.pair[0]
        #expect(try await server.request("POST", "/users", body: #"{"username":"\#(name)","password":"password1"}"#).status == 201)
        let issued = try await server.request("POST", "/tokens", headers: basicHeader(name, "password1"))
        return ["Authorization": "Bearer \(try #require(issued.body.jsonObject["token"] as? String))"]
    }

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func disableRefusesTheNextRequestOnEveryProcessAndEnableRestoresIt(backend: Backend) async throws {
        try await Self.withServers(backend) { servers in
            let bearer = try await Self.signUp("alice", on: servers)
            let share = try await servers.pair[0].request("POST", "/trips", headers: bearer, body: #"{"name":"Lisbon","waypoints":[]}"#)
            let trip = try #require(share.body.jsonObject["id"] as? String)
            let link = try #require(
                try await servers.pair[0].request("POST", "/trips/\(trip)/shares", headers: bearer, body: "{}").body.jsonObject["url"] as? String)
            let disabled = try await servers.admin(["users", "disable", "ALICE", "--reason", "reported for spam"])
            #expect(disabled.status == 0, "\(disabled.errors)")
            for headers in [bearer, Self.basicHeader("alice", "password1")] {
                #expect(try await servers.statuses(headers: headers) == [403, 403])
            }
            let refused = try await servers.pair[1].request("GET", "/trips", headers: bearer)
            #expect(refused.body.jsonObject["type"] as? String == "/problems/account-disabled")
            #expect(try await servers.statuses(link, headers: [:]) == [404, 404])
            for _ in 0..<12 {
                #expect(try await servers.pair[0].request("GET", "/trips", headers: Self.basicHeader("alice", "wrong-pw")).status == 403)
            }
            #expect(try await servers.admin(["users", "enable", "alice"]).status == 0)
            #expect(try await servers.statuses(headers: bearer) == [200, 200])
            #expect(try await servers.statuses(headers: Self.basicHeader("alice", "password1")) == [200, 200], "no guess was counted")
            #expect(try await servers.statuses(link, headers: [:]) == [200, 200])
        }
    }

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func revokedTokensAndASetPasswordTakeEffectAtOnce(backend: Backend) async throws {
        try await Self.withServers(backend) { servers in
            let bearer = try await Self.signUp("alice", on: servers)
            let revoked = try await servers.admin(["users", "revoke-tokens", "alice"])
            #expect(revoked.status == 0, "\(revoked.errors)")
            #expect(String(decoding: revoked.output, as: UTF8.self) == "revoked 1 token of alice\n")
            #expect(try await servers.statuses(headers: bearer) == [401, 401])
            let second = try await servers.pair[1].request("POST", "/tokens", headers: Self.basicHeader("alice", "password1"))
            let token = ["Authorization": "Bearer \(try #require(second.body.jsonObject["token"] as? String))"]
            let short = try await servers.admin(["users", "set-password", "alice"], input: "short\n")
            #expect(short.status == 1)
            #expect(short.errors == "trip-planner: the password must be 8 to 72 bytes of UTF-8\n")
            let set = try await servers.admin(["users", "set-password", "alice", "--bcrypt-cost", "4"], input: "a new passphrase\n")
            #expect(set.status == 0, "\(set.errors)")
            #expect(try await servers.statuses(headers: token) == [401, 401])
            #expect(try await servers.statuses(headers: Self.basicHeader("alice", "password1")) == [401, 401])
            #expect(try await servers.statuses(headers: Self.basicHeader("alice", "a new passphrase")) == [200, 200])
        }
    }

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func throttleClearLiftsALoginLock(backend: Backend) async throws {
        try await Self.withServers(backend) { servers in
            // Signed up without signing in: a password a server has verified skips its lock, which refuses guesses only.
            #expect(try await servers.pair[0].request("POST", "/users", body: #"{"username":"alice","password":"password1"}"#).status == 201)
            for i in 0..<10 {
                _ = try await servers.pair[i % 2].request("GET", "/trips", headers: Self.basicHeader("alice", "wrong-\(i)-pw"))
            }
            #expect(try await servers.statuses(headers: Self.basicHeader("alice", "password1")) == [429, 429])
            let shown = try await servers.admin(["users", "show", "alice", "--json"])
            let windows = try #require(shown.output.jsonObject["loginThrottle"] as? [[String: Any]])
            #expect(Set(windows.compactMap { $0["key"] as? String }) == ["login alice", "login alice from 127.0.0.1"])
            let cleared = try await servers.admin(["throttle", "clear", "alice"])
            #expect(String(decoding: cleared.output, as: UTF8.self) == "cleared 2 login-throttle windows of alice\n")
            #expect(try await servers.statuses(headers: Self.basicHeader("alice", "password1")) == [200, 200])
        }
    }

    @Test(.timeLimit(.minutes(3)), arguments: Backend.shareable)
    func listStatsDeleteAndTheAuditTrailAgreeWithTheAPI(backend: Backend) async throws {
        try await Self.withServers(backend) { servers in
            let alice = try await Self.signUp("alice", on: servers)
            _ = try await Self.signUp("bob", on: servers)
            for name in ["Porto", "Faro"] {
                #expect(try await servers.pair[1].request("POST", "/trips", headers: alice, body: #"{"name":"\#(name)"}"#).status == 201)
            }
            let listed = try await servers.admin(["users", "list", "--json"])
            let accounts = String(decoding: listed.output, as: UTF8.self).split(separator: "\n").map { Data($0.utf8).jsonObject }
            #expect(accounts.map { $0["username"] as? String } == ["alice", "bob"])
            #expect(accounts.map { $0["trips"] as? Int } == [2, 0])
            #expect(accounts.map { $0["tokens"] as? Int } == [1, 1])
            let page = try await servers.admin(["users", "list", "--after", "alice", "--json"])
            #expect(String(decoding: page.output, as: UTF8.self).split(separator: "\n").count == 1)
            let stats = try await servers.admin(["stats", "--json"]).output.jsonObject
            #expect(stats["accounts"] as? Int == 2)
            #expect(stats["trips"] as? Int == 2)
            #expect(stats["tokens"] as? Int == 2)
            #expect((stats["databaseBytes"] as? Int ?? 0) > 0)
            if backend == .mongo { #expect(stats["replicaSet"] is String) }

            #expect(try await servers.admin(["users", "delete", "bob"]).status == 1, "not on a terminal, deleting needs --yes")
            let deleted = try await servers.admin(["users", "delete", "bob", "--yes"])
            #expect(deleted.status == 0, "\(deleted.errors)")
            #expect(try await servers.statuses(headers: Self.basicHeader("bob", "password1")) == [401, 401])
            #expect(try await servers.pair[0].request("POST", "/users", body: #"{"username":"bob","password":"password2"}"#).status == 201)
            #expect(try await servers.admin(["users", "disable", "alice", "--reason", "asked to pause"]).status == 0)

            let audit = try await servers.admin(["audit", "--json"])
            let events = String(decoding: audit.output, as: UTF8.self).split(separator: "\n").map { Data($0.utf8).jsonObject }
            #expect(events.map { $0["command"] as? String } == ["users disable", "users delete"])
            #expect(events.map { $0["account"] as? String } == ["alice", "bob"])
            #expect(events.first?["reason"] as? String == "asked to pause")
            #expect(events.allSatisfy { ($0["operator"] as? String)?.isEmpty == false && ($0["host"] as? String)?.isEmpty == false })
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func anUnknownUserIsRefusedAndAnUnreachableDatabaseIsExitTwo() async throws {
        try await Self.withServers(.sqliteFile) { servers in
            for command in [["users", "show", "nobody"], ["users", "disable", "nobody", "--reason", "x"], ["users", "revoke-tokens", "nobody"]] {
                let refused = try await servers.admin(command)
                #expect(refused.status == 1)
                #expect(refused.errors == "trip-planner: no account named 'nobody'\n")
            }
        }
        let unreachable = try await TripPlannerCommand.run(["stats", "--database", "mongodb://127.0.0.1:1/none"])
        #expect(unreachable.status == 2)
        #expect(unreachable.errors == "trip-planner: the database cannot be reached or is too busy\n")
        let missing = try await TripPlannerCommand.run(["users", "list", "--database", "sqlite:/nonexistent/trips.sqlite"])
        #expect(missing.status == 2)
        #expect(missing.errors.split(separator: "\n").count == 1)
    }

    /// What a stranger found: text the trail could not print on one line or an import would refuse, a password that
    /// is not UTF-8, an address that is none, and changes that change nothing.
    @Test(.timeLimit(.minutes(2)))
    func hostileOrPointlessInputIsRefusedOnOneLineAndRecordsNothing() async throws {
        try await Self.withServers(.sqliteFile) { servers in
            _ = try await Self.signUp("alice", on: servers)
            let refusals: [([String], String?, String)] = [
                (["users", "disable", "alice", "--reason", "line1\nFAKE AUDIT LINE"], nil, "--reason must not contain control characters"),
                (["users", "disable", "alice", "--reason", String(repeating: "9", count: 1001)], nil, "--reason must be 1 to 1000 bytes"),
                (["users", "disable", "alice", "--reason", "\u{FFFE}"], nil, "--reason must not contain control characters"),
                (["users", "enable", "alice"], nil, "alice is not disabled"),
                (["throttle", "clear", "alice", "--client", "1.2.3.4\nFAKE"], nil, "is not an IPv4 or IPv6 address"),
                (["throttle", "clear", "alice", "--client", "999.1.1.1"], nil, "is not an IPv4 or IPv6 address"),
                (["throttle", "clear", "ev\u{1B}[31mil\nx"], nil, #"'ev\u{1B}[31mil\nx' cannot be a username"#),
                (["users", "show", String(repeating: "a", count: 3000)], nil, "cannot be a username"),
                (["users", "list", "--limit", "0"], nil, "--limit must be from 1 to 1000"),
                (["users", "set-password", "alice"], "abcdefgh\u{FF}\n", "the password must be UTF-8"),
                (["users", "set-password", "alice"], String(repeating: "p", count: 2000) + "\n", "longer than 1024 bytes"),
            ]
            for (arguments, input, message) in refusals {
                let data = input.map { Data($0.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }) }
                let refused = try await TripPlannerCommand.run(arguments + ["--database", servers.database], input: data)
                #expect(refused.status == 1, "\(arguments)")
                #expect(refused.errors.contains(message) && refused.errors.split(separator: "\n").count == 1, "\(refused.errors)")
            }
            #expect(try await servers.admin(["users", "disable", "alice", "--reason", "first"]).status == 0)
            let again = try await servers.admin(["users", "disable", "alice", "--reason", "second"])
            #expect(again.status == 1 && again.errors.contains("already disabled"))
            #expect(try await servers.admin(["audit", "--json"]).output.split(separator: UInt8(ascii: "\n")).count == 1, "one change, one event")
            let exported = try await servers.admin(["export"])
            let target = try ServerProcess.database(for: .sqliteFile)
            defer { ServerProcess.removeFiles(of: target) }
            let imported = try await TripPlannerCommand.run(["import", "--database", target], input: exported.output)
            #expect(imported.status == 0, "what the commands record imports again: \(imported.errors)")
        }
    }

    @Test func everySubcommandHasHelp() async throws {
        let users = try await TripPlannerCommand.run(["users", "--help"])
        #expect(users.status == 0)
        for group in ["users", "throttle"] {
            let bare = try await TripPlannerCommand.run([group], environment: ["DATABASE_URL": "sqlite:/nonexistent/trips.sqlite"])
            #expect(bare.status == 0, "\(group) alone prints its help, whatever DATABASE_URL holds: \(bare.errors)")
        }
        let help = String(decoding: users.output, as: UTF8.self)
        for subcommand in ["list", "show", "disable", "enable", "revoke-tokens", "set-password", "delete"] {
            #expect(help.contains("  \(subcommand) "), "users --help lists \(subcommand)")
            let own = try await TripPlannerCommand.run(["users", subcommand, "--help"])
            #expect(own.status == 0)
            #expect(String(decoding: own.output, as: UTF8.self).contains("USAGE: trip-planner users \(subcommand)"))
        }
    }
}
