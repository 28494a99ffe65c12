@testable import API
import Testing

@Suite struct CredentialCacheTests {
    @Test func remembersOnlyTheExactCredentialsAndHash() {
        let cache = CredentialCache()
        #expect(!cache.hasVerified("hash", username: "alice", password: "password1"))
        cache.remember("hash", username: "alice", password: "password1")
        #expect(cache.hasVerified("hash", username: "alice", password: "password1"))
        #expect(!cache.hasVerified("hash", username: "alice", password: "password2"))
        #expect(!cache.hasVerified("hash", username: "alice2", password: "password1"))
        #expect(!cache.hasVerified("other-hash", username: "alice", password: "password1"))
    }

    @Test func separatesUsernameFromPassword() {
        let cache = CredentialCache()
        cache.remember("hash", username: "ab", password: "c")
        #expect(!cache.hasVerified("hash", username: "a", password: "bc"))
    }

    @Test func forgetsAfterItsLifetime() async throws {
        let cache = CredentialCache(lifetime: .milliseconds(1))
        cache.remember("hash", username: "alice", password: "password1")
        try await Task.sleep(for: .milliseconds(20))
        #expect(!cache.hasVerified("hash", username: "alice", password: "password1"))
    }

    @Test func staysWithinItsCapacity() {
        let cache = CredentialCache(capacity: 3)
        for i in 0..<4 { cache.remember("hash", username: "user\(i)", password: "password1") }
        #expect(cache.hasVerified("hash", username: "user3", password: "password1"))
        #expect(!cache.hasVerified("hash", username: "user0", password: "password1"))
    }
}
