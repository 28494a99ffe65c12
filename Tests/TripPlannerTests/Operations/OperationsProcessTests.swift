import Foundation
import Testing

/// What an operator sees of a real `trip-planner` process: metrics on their own port, JSON logs, a delay before the
/// drain, configuration from three sources, and no database password anywhere.
@Suite struct OperationsProcessTests {
    static func signUp(_ name: String, port: Int) async throws -> [String: String] {
        let created = try await RawHTTP.request("POST", port: port, "/users", body: #"{"username":"\#(name)","password":"password1"}"#)
        #expect(created.status == 201)
        return ["Authorization": basic(name, "password1")[.authorization]!]
    }

    @Test(.timeLimit(.minutes(2)))
    func metricsAreServedOnTheirOwnPortAndCountTheRequestsMade() async throws {
        let database = try ServerProcess.database(for: .sqliteFile)
        defer { ServerProcess.removeFiles(of: database) }
        let metricsPort = try ServerProcess.freePort()
        let server = try await ServerProcess(database: database, arguments: ["--metrics-port", String(metricsPort)])
        let auth = try await Self.signUp("alice", port: server.port)
        for _ in 0..<3 { #expect(try await RawHTTP.request("GET", port: server.port, "/trips", headers: auth).status == 200) }
        #expect(try await RawHTTP.request("GET", port: server.port, "/trips").status == 401)
        var wrong = ["Authorization": basic("alice", "wrong-password")[.authorization]!]
        for _ in 0..<12 { wrong["X-Forwarded-For"] = "203.0.113.9"; _ = try await RawHTTP.request("GET", port: server.port, "/trips", headers: wrong) }
        #expect(try await RawHTTP.request("GET", port: server.port, "/metrics").status == 404, "never on the API's port")

        let scrape = try await RawHTTP.request("GET", port: metricsPort, "/metrics")
        #expect(scrape.status == 200)
        let samples = try await PythonCheck.run(
            """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            print(json.dumps([[s.name, s.labels, s.value] for f in text_string_to_metric_families(sys.stdin.read()) for s in f.samples]))
            """, input: scrape.body)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(samples.utf8)) as? [[Any]])
        func value(_ name: String, _ labels: [String: String]) -> Double? {
            parsed.first { sample in
                sample[0] as? String == name && labels.allSatisfy { (sample[1] as? [String: String])?[$0.key] == $0.value }
            }?[2] as? Double
        }
        let route = ["http_route": "/trips", "http_request_method": "GET"]
        #expect(value("hb_requests_total", route.merging(["http_response_status_code": "200"]) { $1 }) == 3)
        #expect(value("hb_requests_total", route.merging(["http_response_status_code": "401"]) { $1 }) ?? 0 >= 1)
        #expect(value("hb_requests_total", ["http_route": "/users", "http_response_status_code": "201"]) == 1)
        #expect(value("http_server_request_duration_count", route.merging(["http_response_status_code": "200"]) { $1 }) == 3)
        #expect(value("store_call_duration_seconds_count", ["store": "sqlite", "operation": "createUser"]) == 1)
        #expect(value("store_call_failures_total", ["store": "sqlite", "operation": "createUser"]) == 0)
        #expect(value("verified_login_cache_total", ["result": "hit"]) == 2, "the first login verifies, the next two hit")
        #expect(value("login_throttle_refusals_total", [:]) ?? 0 >= 1)
        #expect(value("bcrypt_waiting", [:]) == 0)
        #expect(value("bcrypt_running", [:]) == 0)
    }

    @Test(.timeLimit(.minutes(2)))
    func jsonLogsAreOneObjectALineWithTheRequestID() async throws {
        let database = try ServerProcess.database(for: .sqliteFile)
        defer { ServerProcess.removeFiles(of: database) }
        let server = try await ServerProcess(database: database, arguments: ["--log-format", "json", "--log-level", "info"])
        let answer = try await RawHTTP.request("GET", port: server.port, "/trips", headers: ["X-Request-Id": "json-log-1"])
        #expect(answer.status == 401)
        server.signal(SIGTERM)
        #expect(await server.exitStatus() == 0)
        let lines = try await server.log().split(separator: "\n")
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == lines.count && !lines.isEmpty, "every line is a JSON object")
        let access = try #require(objects.first { $0["message"] as? String == "GET /trips 401" })
        #expect(access["level"] as? String == "info")
        #expect((access["metadata"] as? [String: Any])?["request_id"] as? String == "json-log-1")
        #expect((access["time"] as? String)?.hasSuffix("Z") == true)
    }

    @Test(.timeLimit(.minutes(2)))
    func afterSIGTERMReadyIsRefusedWhileRequestsAreServedForTheDelay() async throws {
        let database = try ServerProcess.database(for: .sqliteFile)
        defer { ServerProcess.removeFiles(of: database) }
        // Long enough that the requests below reach the server within it on a busy machine.
        let server = try await ServerProcess(database: database, arguments: ["--shutdown-delay", "10"])
        #expect(try await RawHTTP.request("GET", port: server.port, "/ready").status == 200)
        let signalled = ContinuousClock.now
        server.signal(SIGTERM)
        var ready = 200
        while ready == 200, ContinuousClock.now - signalled < .seconds(4) {
            ready = try await RawHTTP.request("GET", port: server.port, "/ready").status
        }
        #expect(ready == 503)
        #expect(try await RawHTTP.request("GET", port: server.port, "/health").status == 200)
        #expect(try await RawHTTP.request("POST", port: server.port, "/users", body: #"{"username":"late","password":"password1"}"#).status == 201)
        #expect(await server.exitStatus() == 0)
        #expect(ContinuousClock.now - signalled >= .seconds(10), "it served for the whole delay")
        #expect(try !ServerProcess.connects(port: server.port))
    }

    @Test(.timeLimit(.minutes(2)))
    func flagsWinOverVariablesWhichWinOverTheFile() async throws {
        let database = try ServerProcess.database(for: .sqliteFile)
        defer { ServerProcess.removeFiles(of: database) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "tripsPerAccount: 1\nsignupLimit: 0\n".write(toFile: file, atomically: true, encoding: .utf8)
        func tripsAllowed(_ arguments: [String], environment: [String: String] = [:]) async throws -> Int {
            let server = try await ServerProcess(database: database, arguments: ["--config", file] + arguments, environment: environment)
            let name = "user\(Int.random(in: 0..<1_000_000))"
            let auth = try await Self.signUp(name, port: server.port)
            for created in 0..<5 {
                let trip = try await RawHTTP.request("POST", port: server.port, "/trips", headers: auth, body: #"{"name":"T"}"#)
                if trip.status != 201 { return created }
            }
            return 5
        }
        #expect(try await tripsAllowed([]) == 1)
        #expect(try await tripsAllowed([], environment: ["TRIPS_PER_ACCOUNT": "2"]) == 2)
        #expect(try await tripsAllowed(["--trips-per-account", "3"], environment: ["TRIPS_PER_ACCOUNT": "2"]) == 3)
    }

    @Test(.timeLimit(.minutes(2)))
    func aBadValueIsOneLineNamingItsSourceAndStatusTwo() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try #"{"bcryptCost": "high"}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let origins = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: origins) }
        try "corsOrigins:\n  - https://app.example.com\n  - https://app.example.com/login\n".write(toFile: origins, atomically: true, encoding: .utf8)
        let originRule = "--cors-origins must list origins such as https://app.example.com or http://127.0.0.1:3000, each a scheme "
            + "(http or https), a host and an optional port, nothing else, never *;"
        let cases: [([String], [String: String], String)] = [
            (["--config", file], [:], "trip-planner: in \(file): The value 'high' is invalid for '--bcrypt-cost <bcrypt-cost>'\n"),
            ([], ["BCRYPT_COST": "high"], "trip-planner: in the environment: The value 'high' is invalid for '--bcrypt-cost <bcrypt-cost>'\n"),
            (["--bcrypt-cost", "40"], [:], "trip-planner: in the command line: --bcrypt-cost must be from 4 to 16.\n"),
            // Each once overflowed a time computation: a trap at start-up, or at SIGTERM.
            (["--tombstone-days", "106751991167301"], [:], "trip-planner: in the command line: --tombstone-days must be from 1 to 3650.\n"),
            ([], ["SHUTDOWN_DELAY": "9223372036854775807"], "trip-planner: in the environment: --shutdown-delay must be from 0 to 300.\n"),
            (["--request-deadline", "9223372036"], [:], "trip-planner: in the command line: --request-deadline must be from 1 to 3600.\n"),
            (["--cors-origins", "https://app.example.com,*"], [:], "trip-planner: in the command line: \(originRule) \"*\" is not one.\n"),
            ([], ["CORS_ORIGINS": "app.example.com"], "trip-planner: in the environment: \(originRule) \"app.example.com\" is not one.\n"),
            (["--config", origins], [:], "trip-planner: in \(origins): \(originRule) \"https://app.example.com/login\" is not one.\n"),
            (["--config", file + ".missing"], [:], "trip-planner: cannot read the config file \(file).missing"),
        ]
        for (arguments, environment, message) in cases {
            let outcome = try await TripPlannerCommand.run(arguments + ["--port", "0"], environment: environment)
            #expect(outcome.status == 2)
            #expect(outcome.errors.hasPrefix(message), "\(outcome.errors)")
            #expect(outcome.errors.split(separator: "\n").count == 1)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aMongoDBPasswordNeverAppears() async throws {
        for url in [
            "mongodb://alice:s3cret-pw@127.0.0.1:1/trips?serverSelectionTimeoutMS=200",
            "mongodb://alice:s3cret-pw@127.0.0.1:1/trips?serverSelectionTimeoutMS=soon",
        ] {
            for arguments in [["--database", url, "--port", "0"], ["export", "--database", url]] {
                let outcome = try await TripPlannerCommand.run(arguments)
                #expect(outcome.status == 2)
                #expect(!outcome.errors.contains("s3cret-pw") && !String(decoding: outcome.output, as: UTF8.self).contains("s3cret-pw"))
                #expect(!outcome.errors.isEmpty)
            }
        }
    }
}
