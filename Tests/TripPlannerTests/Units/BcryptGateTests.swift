@testable import API
import Testing

/// bcrypt runs wait in a bounded queue where logins go ahead of sign-ups.
@Suite struct BcryptGateTests {
    @Test(.timeLimit(.minutes(1)))
    func aWaitingLoginGoesBeforeSignUpsThatWaitedLonger() async throws {
        let gate = BcryptGate(slots: 1, capacity: 10)
        let order = Order()
        let (holder, release) = await Self.holdingTheSlot(of: gate)
        var waiters: [Task<Void, any Error>] = []
        for (queued, name) in ["sign-up 1", "sign-up 2", "login"].enumerated() {
            let priority: BcryptGate.Priority = name == "login" ? .login : .signUp
            waiters.append(Task { try await gate.run(priority) { await order.append(name) } })
            try await waitUntil("\(name) waits") { gate.waiting == queued + 1 }
        }
        release.yield()
        try await holder.value
        for waiter in waiters { try await waiter.value }
        #expect(await order.names == ["login", "sign-up 1", "sign-up 2"])
    }

    @Test(.timeLimit(.minutes(1)))
    func pastItsCapacityTheQueueRefusesAtOnceWith503() async throws {
        let gate = BcryptGate(slots: 1, capacity: 1)
        let (holder, release) = await Self.holdingTheSlot(of: gate)
        let waiter = Task { try await gate.run(.login) { "ran" } }
        try await waitUntil("the login waits") { gate.waiting == 1 }
        do {
            _ = try await gate.run(.login) { "ran" }
            Issue.record("a third run was admitted past the queue's capacity")
        } catch let problem as Problem {
            #expect(problem.status == .serviceUnavailable)
            #expect(problem.headers[.retryAfter] == "1")
        }
        release.yield()
        try await holder.value
        #expect(try await waiter.value == "ran")
    }

    /// A sign-up that has taken the gate's one slot and keeps it until the continuation yields.
    private static func holdingTheSlot(of gate: BcryptGate) async -> (Task<Void, any Error>, AsyncStream<Void>.Continuation) {
        let release = AsyncStream<Void>.makeStream()
        let holding = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await gate.run(.signUp) {
                holding.continuation.yield()
                for await _ in release.stream { break }
            }
        }
        for await _ in holding.stream { break }
        return (holder, release.continuation)
    }
}

private actor Order {
    private(set) var names: [String] = []

    func append(_ name: String) {
        names.append(name)
    }
}

/// Which address a request is counted against, behind trusted proxies and not.
@Suite struct TrustedProxiesTests {
    @Test func readsAddressesAndRangesOfBothFamilies() throws {
        let proxies = try #require(TrustedProxies("10.0.0.0/8, 192.168.1.7 ,fd00::/8,::1"))
        for address in ["10.1.2.3", "192.168.1.7", "fd12::1", "::1"] { #expect(proxies.isTrusted(address), "\(address)") }
        for address in ["11.0.0.1", "192.168.1.8", "fe80::1", "::2", "unknown", ""] { #expect(!proxies.isTrusted(address), "\(address)") }
        for list in ["10.0.0.0/33", "10.0.0", "::1/129", "example.com", "10.0.0.0/8/8"] { #expect(TrustedProxies(list) == nil, "\(list)") }
    }

    @Test func believesForwardedAddressesOnlyFromTrustedPeers() throws {
        let proxies = try #require(TrustedProxies("127.0.0.1,10.0.0.0/8"))
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["203.0.113.9"]) == "203.0.113.9")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["1.1.1.1, 203.0.113.9, 10.0.0.5"]) == "203.0.113.9")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["1.1.1.1", "203.0.113.9"]) == "203.0.113.9")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        #expect(proxies.client(peer: "203.0.113.1", forwardedFor: ["198.51.100.1"]) == "203.0.113.1")
        #expect(TrustedProxies.none.client(peer: "127.0.0.1", forwardedFor: ["198.51.100.1"]) == "127.0.0.1")
    }
}

/// Once shutdown has begun, password checks that can no longer run answer 503, never 500.
@Suite struct PasswordHasherShutdownTests {
    @Test func aCheckAfterShutdownIs503() async throws {
        let hasher = PasswordHasher(cost: 4, threads: 1)
        let service = Task { try await hasher.run() }
        service.cancel()
        try await service.value
        do {
            _ = try await hasher.verify("password1", against: nil)
            Issue.record("a check ran after shutdown")
        } catch let problem as Problem {
            #expect(problem.status == .serviceUnavailable)
        }
    }
}
