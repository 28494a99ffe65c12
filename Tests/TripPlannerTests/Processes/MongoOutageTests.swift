import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import StoreMongo
import Testing

/// The database stops mid-traffic and comes back: 503s with Retry-After meanwhile, then recovery on its own.
@Suite struct MongoOutageTests {
    static let secantusd = ProcessInfo.processInfo.environment["SECANTUSD"].flatMap { $0.isEmpty ? nil : $0 }

    /// A SecantusDB of this test's own, keeping its data in `storage` across restarts.
    final class Database: @unchecked Sendable {
        let port: Int
        let storage: String
        private var process: Process?

        init() throws {
            port = try ServerProcess.freePort()
            storage = FileManager.default.temporaryDirectory.appendingPathComponent("secantus-\(UUID())").path
        }

        func start() async throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(MongoOutageTests.secantusd, "SECANTUSD is not set: `scripts/with-secantus.sh` sets it; SKIP_MONGODB=1 leaves MongoDB out"))
            // As mongod journals a transaction's commit under j:true, which SecantusDB does only when asked.
            process.arguments = [
                "--host", "127.0.0.1", "--port", String(port), "--storage-path", storage, "--sync-on-commit", "--log-level", "ERROR",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            self.process = process
            for _ in 0..<300 {
                if (try? ServerProcess.connects(port: port)) == true { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("SecantusDB did not start on port \(port)")
        }

        func stop() async {
            guard let process else { return }
            kill(process.processIdentifier, SIGKILL)
            while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
            self.process = nil
        }

        /// Freezes the server with its connections open, as a hung database looks to its clients.
        func freeze(_ frozen: Bool) {
            guard let process else { return }
            kill(process.processIdentifier, frozen ? SIGSTOP : SIGCONT)
        }

        deinit {
            if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(atPath: storage)
        }
    }

    private func withAppOnItsOwnDatabase(
        _ body: @Sendable (Database, any TestClientProtocol) async throws -> Void
    ) async throws {
        let database = try Database()
        try await database.start()
        let store = try MongoTripStore(url: "mongodb://127.0.0.1:\(database.port)/outage", threads: 4)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let app = buildApplication(ServerSettings(port: 0, bcryptCost: 4), store: store, logger: logger)
        try await app.test(.router) { client in try await body(database, client) }
    }

    @Test(
        .disabled(if: Backend.skipsMongo, "SKIP_MONGODB=1 leaves MongoDB out"),
        .timeLimit(.minutes(2))
    )
    func requestsAre503WhileTheDatabaseIsGoneAndRecover() async throws {
        try await withAppOnItsOwnDatabase { database, client in
            let auth = try await client.signUp("alice")
            let token = try await client.token(auth)
            _ = try await client.createTrip(bearer(token))

            await database.stop()
            let ready = try await client.execute(uri: "/ready", method: .get)
            expectProblem(ready, .serviceUnavailable)
            for (uri, method) in [("/trips", HTTPRequest.Method.get), ("/trips", .post)] {
                let response = try await client.executeJSON(uri: uri, method: method, headers: bearer(token), body: json(#"{"name":"y"}"#))
                expectProblem(response, .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "2")
                #expect(!String(buffer: response.body).lowercased().contains("mongo"))
            }
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)

            try await database.start()
            var recovered = false
            for _ in 0..<30 where !recovered {
                recovered = try await client.execute(uri: "/ready", method: .get).status == .ok
                if !recovered { try await Task.sleep(for: .milliseconds(500)) }
            }
            #expect(recovered)
            let trips = try await client.execute(uri: "/trips", method: .get, headers: bearer(token))
            #expect(trips.status == .ok)
            #expect(trips.array.count == 1)
        }
    }

    @Test(
        .disabled(if: Backend.skipsMongo, "SKIP_MONGODB=1 leaves MongoDB out"),
        .timeLimit(.minutes(2))
    )
    func aDatabaseThatStopsAnsweringIsA503NotAHang() async throws {
        try await withAppOnItsOwnDatabase { database, client in
            let auth = try await client.signUp("alice")
            database.freeze(true)
            expectProblem(try await client.execute(uri: "/trips", method: .get, headers: auth), .serviceUnavailable)
            database.freeze(false)
            var recovered = false
            for _ in 0..<30 where !recovered {
                recovered = try await client.execute(uri: "/ready", method: .get).status == .ok
                if !recovered { try await Task.sleep(for: .milliseconds(500)) }
            }
            #expect(recovered)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).status == .ok)
        }
    }
}
