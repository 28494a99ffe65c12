@testable import API
import Testing
import Synchronization

@Suite struct ExpiringCacheTests {
    @Test func keepsValues() {
        let cache = ExpiringCache<String, Int>(lifetime: .seconds(60))
        #expect(cache["a"] == nil)
        cache.set(1, for: "a")
        cache.set(2, for: "b")
        cache.set(3, for: "a")
        #expect(cache["a"] == 3)
        #expect(cache["b"] == 2)
    }

    @Test func forgetsAfterItsLifetime() async throws {
        let cache = ExpiringCache<String, Int>(lifetime: .milliseconds(1))
        cache.set(1, for: "a")
        try await Task.sleep(for: .milliseconds(20))
        #expect(cache["a"] == nil)
    }

    @Test func aFloodOfNewKeysForgetsOnlyTheLeastRecentlySet() {
        let cache = ExpiringCache<Int, Int>(lifetime: .seconds(60), capacity: 100)
        for i in 0..<100 { cache.set(i, for: i) }
        cache.set(0, for: 0)
        for i in 1000..<1050 { cache.set(i, for: i) }
        #expect(cache.count <= 100)
        #expect(cache.count >= 90, "the flood emptied the cache")
        #expect(cache[0] == 0, "a key in use was forgotten")
        #expect(cache[1049] == 1049)
    }
}

@Suite struct CredentialDigesterTests {
    @Test func digestsOnlyTheExactCredentials() {
        let digester = CredentialDigester()
        let alice = digester.basic(username: "alice", password: "password1")
        #expect(alice == digester.basic(username: "alice", password: "password1"))
        #expect(alice != digester.basic(username: "alice", password: "password2"))
        #expect(alice != digester.basic(username: "alice2", password: "password1"))
        #expect(digester.basic(username: "ab", password: "c") != digester.basic(username: "a", password: "bc"))
        #expect(alice != CredentialDigester().basic(username: "alice", password: "password1"))
    }

    @Test func tokenDigestsAreSHA256InHex() {
        #expect(CredentialDigester.tokenDigest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

@Suite struct VerificationsInFlightTests {
    @Test func concurrentRequestsWithTheSameCredentialsShareOneVerification() async throws {
        let inFlight = VerificationsInFlight()
        let state = Gate()
        let credential = CredentialDigester().basic(username: "alice", password: "password1")
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await inFlight.run(credential, hash: "hash") {
                        state.runs.add(1, ordering: .relaxed)
                        try await waitUntil("the test lets the run finish") { state.open.load(ordering: .relaxed) }
                        return true
                    }
                }
            }
            try await waitUntil("the 20 callers wait") { inFlight.waiting == 20 }
            state.open.store(true, ordering: .relaxed)
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 20))
        #expect(state.runs.load(ordering: .relaxed) == 1)
        let other = try await inFlight.run(credential, hash: "other-hash") {
            state.runs.add(1, ordering: .relaxed)
            return false
        }
        #expect(!other)
        #expect(state.runs.load(ordering: .relaxed) == 2)
    }
}

private final class Gate: Sendable {
    let runs = Atomic<Int>(0)
    let open = Atomic<Bool>(false)
}
