@testable import API
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import StoreSQLite
import Testing

/// Failed logins are throttled per username and client together, and per username from every client,
/// in the store; no rule lets one client lock out others, and a lock never refuses a proven login.
@Suite struct SignInTests {
    private func fail(_ client: any TestClientProtocol, _ username: String, times: Int, from address: String) async throws {
        for i in 0..<times {
            let response = try await client.execute(
                uri: "/users", method: .get, headers: basic(username, "wrong-\(i)-password") + from(address))
            expectProblem(response, .unauthorized)
        }
    }

    @Test(.tags(.live), arguments: Backend.all)
    func failuresForOneNameLockNeitherOtherNamesNorOtherClients(backend: Backend) async throws {
        try await withApp(backend, .live) { client in
            try await client.signUp("alice")
            try await fail(client, "mallory", times: Limits.failedLoginsPerClient, from: "203.0.113.7")
            let locked = try await client.execute(uri: "/users", method: .get, headers: basic("mallory", "x-password") + from("203.0.113.7"))
            expectProblem(locked, .tooManyRequests)
            let alice = try await client.execute(uri: "/users", method: .get, headers: basic("alice", "password1") + from("203.0.113.7"))
            #expect(alice.status == .ok, "a correct password refused because of failures against another name")

            try await fail(client, "alice", times: Limits.failedLoginsPerClient, from: "203.0.113.8")
            let pair = try await client.execute(uri: "/tokens", method: .post, headers: basic("ALICE", "password1") + from("203.0.113.8"))
            expectProblem(pair, .tooManyRequests)
            let retryAfter = try #require(pair.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...Limits.failedLoginWindowSeconds).contains(retryAfter))
            let elsewhere = try await client.execute(uri: "/tokens", method: .post, headers: basic("alice", "password1") + from("203.0.113.9"))
            #expect(elsewhere.status == .created, "the same name from another client")
        }
    }

    @Test(.tags(.live), arguments: Backend.all)
    func aUsernameGuessedFromManyClientsIsRefusedFromAll(backend: Backend) async throws {
        try await withApp(backend, .live) { client in
            try await client.signUp("alice")
            let clients = Limits.failedLoginsPerUsername / (Limits.failedLoginsPerClient - 1) + 1
            var failures = 0
            for i in 0..<clients where failures < Limits.failedLoginsPerUsername {
                let times = min(Limits.failedLoginsPerClient - 1, Limits.failedLoginsPerUsername - failures)
                try await fail(client, "alice", times: times, from: "198.51.100.\(i)")
                failures += times
            }
            let fresh = try await client.execute(uri: "/users", method: .get, headers: basic("alice", "password1") + from("192.0.2.1"))
            expectProblem(fresh, .tooManyRequests)
            let other = try await client.execute(uri: "/users", method: .get, headers: basic("bob", "password1") + from("192.0.2.1"))
            expectProblem(other, .unauthorized)
        }
    }

    @Test(arguments: Backend.all)
    func aLockRefusesGuessesButNotLoginsAlreadyProven(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let token = try await client.token(auth)
            try await fail(client, "alice", times: Limits.failedLoginsPerClient, from: "unknown")
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).status == .ok, "a cached Basic login")
            #expect(try await client.execute(uri: "/trips", method: .get, headers: bearer(token)).status == .ok)
            expectProblem(try await client.execute(uri: "/trips", method: .get, headers: basic("Alice", "password1")), .tooManyRequests)
        }
    }

    @Test(arguments: Backend.all)
    func parallelGuessesReachBcryptAtMostTheLimit(backend: Backend) async throws {
        try await withAppAndHasher(backend) { client, hasher in
            try await client.signUp("alice")
            let before = hasher.checks.load(ordering: .relaxed)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<300 {
                    group.addTask {
                        try await client.execute(uri: "/users", method: .get, headers: basic("alice", "guess-\(i)-xx")).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status: Int]()) { $0[$1, default: 0] += 1 }
            }
            let runs = hasher.checks.load(ordering: .relaxed) - before
            #expect(runs <= Limits.failedLoginsPerClient, "\(runs) bcrypt runs")
            #expect(statuses[.unauthorized, default: 0] <= Limits.failedLoginsPerClient)
            // The test's MongoDB store queues at most 64 calls and refuses the rest with 503 before they read
            // the account; those never reach the throttle or bcrypt either.
            let refused = statuses[.tooManyRequests, default: 0] + (backend == .mongo ? statuses[.serviceUnavailable, default: 0] : 0)
            #expect(refused >= 300 - Limits.failedLoginsPerClient, "\(statuses)")
            #expect(statuses[.tooManyRequests, default: 0] > 0)
        }
    }

    @Test(arguments: Backend.shareable)
    func parallelGuessesOnTwoProcessesReachBcryptAtMostTheLimit(backend: Backend) async throws {
        try await withTwoApps(backend) { apps in
            try await apps[0].client.signUp("alice")
            let before = apps.map { $0.hasher.checks.load(ordering: .relaxed) }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<100 {
                    let client = apps[i % 2].client
                    group.addTask { try await client.execute(uri: "/users", method: .get, headers: basic("alice", "guess-\(i)-xx")).status }
                }
                return try await group.reduce(into: [HTTPResponse.Status: Int]()) { $0[$1, default: 0] += 1 }
            }
            let runs = zip(apps, before).map { $0.hasher.checks.load(ordering: .relaxed) - $1 }.reduce(0, +)
            #expect(runs <= Limits.failedLoginsPerClient, "\(runs) bcrypt runs")
            #expect(statuses[.unauthorized, default: 0] == Limits.failedLoginsPerClient, "\(statuses)")
            #expect(statuses[.tooManyRequests, default: 0] == 100 - Limits.failedLoginsPerClient, "\(statuses)")
        }
    }

    @Test(arguments: Backend.all)
    func parallelSignUpsFromOneAddressCannotPassTheLimit(backend: Backend) async throws {
        var settings = ServerSettings.testing
        settings.signUpLimit = 3
        try await withApp(backend, settings: settings) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        try await client.executeJSON(
                            uri: "/users", method: .post, body: json(#"{"username":"user\#(i)","password":"password1"}"#)
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(statuses == [.created: 3, .tooManyRequests: 9])
        }
    }

    @Test(arguments: Backend.all)
    func anAppsConcurrentFirstRequestsShareOneLoginAndAreNotThrottled(backend: Backend) async throws {
        try await withAppAndHasher(backend) { client, hasher in
            let auth = try await client.signUp("alice")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<50 { group.addTask { try await client.execute(uri: "/trips", method: .get, headers: auth).status } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: .ok, count: 50))
            #expect(hasher.checks.load(ordering: .relaxed) < 10, "the requests did not share their bcrypt run")
        }
    }

    /// A check takes its attempt before bcrypt, so an outage of the store's writes checks no password uncounted.
    @Test(.timeLimit(.minutes(1)))
    func noPasswordIsCheckedWhileTheStoreCannotCountIt() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("unrecorded-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteTripStore(path: path, busyTimeout: 0.1)
        try await store.prepare()
        let hasher = PasswordHasher(cost: 4)
        let app = Application(router: buildRouter(store: store, hasher: hasher), services: [hasher], logger: .quiet)
        try await app.test(.router) { client in
            try await client.signUp("alice")
            let before = hasher.checks.load(ordering: .relaxed)
            let lock = try await ExclusiveLock.hold(path)
            for i in 0..<Limits.failedLoginsPerClient + 1 {
                expectProblem(try await client.execute(uri: "/users", method: .get, headers: basic("alice", "wrong-\(i)-pw")), .serviceUnavailable)
            }
            await lock.release()
            #expect(hasher.checks.load(ordering: .relaxed) == before, "a password checked that the store did not count")
            #expect(try await client.execute(uri: "/users", method: .get, headers: basic("alice", "password1")).status == .ok)
        }
        try await store.close()
    }

    @Test func namesThatCannotExistFailBeforeBcryptAndCountNothing() async throws {
        try await withAppAndHasher(.sqliteMemory) { client, hasher in
            let long = String(repeating: "m", count: 8 * 1024)
            for name in [long, "mal lory", "mallory☃", "ma"] {
                for _ in 0..<Limits.failedLoginsPerClient + 1 {
                    expectProblem(try await client.execute(uri: "/users", method: .get, headers: basic(name, "password1")), .unauthorized)
                }
            }
            #expect(hasher.checks.load(ordering: .relaxed) == 0)
        }
    }

    @Test(arguments: Backend.all)
    func usernamesAreOneAccountInAnyASCIICaseAndKeepTheirSpelling(backend: Backend) async throws {
        try await withApp(backend) { client in
            try await client.signUp("Alice")
            expectProblem(try await client.executeJSON(
                uri: "/users", method: .post, body: json(#"{"username":"aLICE","password":"password2"}"#)), .conflict)
            for name in ["alice", "ALICE", "Alice"] {
                let me = try await client.execute(uri: "/users", method: .get, headers: basic(name, "password1"))
                #expect(me.status == .ok)
                #expect(me.object["username"] as? String == "Alice")
            }
        }
    }

    @Test(arguments: [
        "\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}zzz", "abcdefgh\u{0}secret-one", "password\u{0}",
    ])
    func passwordsWithNULAreRefusedAtSignUp(password: String) async throws {
        try await withApp(.sqliteMemory) { client in
            let body = try JSONSerialization.data(withJSONObject: ["username": "alice", "password": password])
            let response = try await client.executeJSON(uri: "/users", method: .post, body: ByteBuffer(data: body))
            expectProblem(response, .unprocessableContent)
            let errors = response.object["errors"] as? [[String: Any]]
            #expect(errors?.first?["pointer"] as? String == "/password")
        }
    }

    @Test
    func noByteOfAPasswordIsIgnoredAtLogin() async throws {
        try await withApp(.sqliteMemory) { client in
            try await client.signUp("alice", password: "abcdefgh")
            for guess in ["abcdefgh\u{0}", "abcdefgh\u{0}WRONG", "abcdefgh\u{0}\u{0}\u{0}\u{0}"] {
                expectProblem(try await client.execute(uri: "/users", method: .get, headers: basic("alice", guess)), .unauthorized)
            }
            #expect(try await client.execute(uri: "/users", method: .get, headers: basic("alice", "abcdefgh")).status == .ok)
        }
    }

    @Test(.tags(.live), arguments: Backend.all)
    func signUpsAreLimitedPerClientAddressCountingOnlyAccountsMade(backend: Backend) async throws {
        var settings = ServerSettings.testing
        settings.signUpLimit = 3
        try await withApp(backend, .live, settings: settings) { client in
            func signUp(_ name: String, from address: String) async throws -> TestResponse {
                try await client.executeJSON(
                    uri: "/users", method: .post, headers: from(address), body: json(#"{"username":"\#(name)","password":"password1"}"#))
            }
            #expect(try await signUp("first", from: "203.0.113.1").status == .created)
            expectProblem(try await signUp("first", from: "203.0.113.1"), .conflict)
            expectProblem(try await signUp("x", from: "203.0.113.1"), .unprocessableContent)
            #expect(try await signUp("second", from: "203.0.113.1").status == .created)
            #expect(try await signUp("third", from: "203.0.113.1").status == .created)
            let refused = try await signUp("fourth", from: "203.0.113.1")
            expectProblem(refused, .tooManyRequests)
            #expect(refused.headers[.retryAfter].flatMap { Int($0) }.map { (1...3600).contains($0) } == true)
            #expect(try await signUp("fourth", from: "203.0.113.2").status == .created)
        }
    }
}
