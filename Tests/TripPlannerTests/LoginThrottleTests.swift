@testable import API
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct LoginThrottleTests {
    let start = ContinuousClock.now

    @Test func refusesAfterTheAllowedFailuresUntilTheWindowPasses() {
        let throttle = LoginThrottle(allowed: 3, window: .seconds(60))
        for _ in 0..<3 {
            #expect(throttle.refusal(username: "alice", address: "10.0.0.1", now: start) == nil)
            throttle.recordFailure(username: "alice", address: "10.0.0.1", now: start)
        }
        #expect(throttle.refusal(username: "alice", address: "10.0.0.1", now: start + .seconds(10)) == .seconds(50))
        #expect(throttle.refusal(username: "alice", address: "10.0.0.2", now: start + .seconds(10)) == .seconds(50))
        #expect(throttle.refusal(username: "bob", address: "10.0.0.1", now: start + .seconds(10)) == .seconds(50))
        #expect(throttle.refusal(username: "bob", address: "10.0.0.2", now: start + .seconds(10)) == nil)
        #expect(throttle.refusal(username: "alice", address: "10.0.0.1", now: start + .seconds(60)) == nil)
    }

    @Test func countsEachAddressOnItsOwn() {
        let throttle = LoginThrottle(allowed: 2, window: .seconds(60))
        throttle.recordFailure(username: "alice", address: "10.0.0.1", now: start)
        throttle.recordFailure(username: "bob", address: "10.0.0.2", now: start)
        #expect(throttle.refusal(username: "carol", address: "10.0.0.1", now: start) == nil)
        throttle.recordFailure(username: "carol", address: "10.0.0.1", now: start)
        #expect(throttle.refusal(username: "dave", address: "10.0.0.1", now: start) != nil)
        #expect(throttle.refusal(username: "dave", address: "10.0.0.2", now: start) == nil)
    }

    @Test func aNewWindowStartsAfterTheOldOneEnds() {
        let throttle = LoginThrottle(allowed: 2, window: .seconds(60))
        throttle.recordFailure(username: "alice", address: "a", now: start)
        throttle.recordFailure(username: "alice", address: "a", now: start + .seconds(61))
        #expect(throttle.refusal(username: "alice", address: "a", now: start + .seconds(62)) == nil)
    }

    @Test(arguments: Backend.all)
    func passwordGuessingIsRefusedEvenWithTheRightPassword(backend: Backend) async throws {
        try await withApp(backend) { client in
            let auth = try await client.signUp("alice")
            let token = try await client.token(auth)
            for i in 0..<Limits.failedLoginsAllowed {
                let route = i.isMultiple(of: 2) ? "/trips" : "/tokens"
                let method: HTTPRequest.Method = i.isMultiple(of: 2) ? .get : .post
                expectProblem(try await client.execute(uri: route, method: method, headers: basic("alice", "guess\(i)xx")), .unauthorized)
            }
            let refused = try await client.execute(uri: "/trips", method: .get, headers: auth)
            expectProblem(refused, .tooManyRequests)
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...900).contains(retryAfter))
            expectProblem(try await client.execute(uri: "/tokens", method: .post, headers: auth), .tooManyRequests)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: bearer(token)).status == .ok)
        }
    }
}
