@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TripCore

/// A stored password hash that bcrypt must not run, written straight into a store, as a bad import or a hand-edited
/// row would leave it: a login against it is a logged 503, and bcrypt never runs on it.
@Suite struct UnusableHashTests {
    static let salted = "abcdefghijklmnopqrstuuJ7qAkzEJy2Dd5ixm3m0Dh6hSvlzFpwO"
    static let unusable = [
        "$2b$31$" + salted, "$2b$17$" + salted, "$2b$03$" + salted, "$2x$04$" + salted, "$2b$4$" + salted + "a",
        "$2b$04$" + "!" + salted.dropFirst(), "$2b$04$" + salted.dropLast(), "$2b$04$" + salted + "a",
    ]

    @Test(.timeLimit(.minutes(2)))
    func aLoginAgainstAnUnusableStoredHashIsALogged503WithoutBcrypt() async throws {
        let log = CapturedLog()
        try await Backend.sqliteMemory.withStore { store in
            for (index, hash) in Self.unusable.enumerated() {
                _ = try await store.createUser(username: "user\(index)", passwordHash: hash)
            }
            let hasher = PasswordHasher(cost: 4)
            var logger = Logger(label: "test") { _ in log }
            logger.logLevel = .error
            let app = Application(router: buildRouter(store: store, hasher: hasher), services: [hasher], logger: logger)
            try await app.test(.router) { client in
                for index in Self.unusable.indices {
                    for _ in 1...2 {
                        let login = try await client.execute(uri: "/tokens", method: .post, headers: basic("user\(index)", "password1"))
                        expectProblem(login, .serviceUnavailable)
                    }
                }
                #expect(hasher.checks.load(ordering: .relaxed) == 0)
                try await client.signUp("alice")
                let alice = try await client.execute(uri: "/tokens", method: .post, headers: basic("alice", "password1"))
                #expect(alice.status == .created, "other accounts still sign in")
            }
        }
        let refusals = log.entries.filter { $0.message == "Password not checked" }
        #expect(refusals.count == 2 * Self.unusable.count)
        #expect(refusals.allSatisfy { $0.level == .error && "\($0.metadata["error"] ?? "")".contains("of user ") })
    }

    @Test func aWellFormedHashWithinTheBoundIsUsable() {
        for hash in ["$2a$04$", "$2b$10$", "$2y$16$"].map({ $0 + Self.salted }) {
            #expect(BcryptHash.flaw(hash) == nil, "\(hash)")
        }
        for hash in Self.unusable { #expect(BcryptHash.flaw(hash) != nil, "\(hash)") }
    }
}
