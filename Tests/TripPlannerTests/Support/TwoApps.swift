import API
import Hummingbird
import HummingbirdTesting
import TripCore

/// Two servers on one database of `backend`, as two processes would be, each through its router and with its password
/// hasher at hand to count bcrypt runs.
func withTwoApps<T: Sendable>(
    _ backend: Backend,
    _ body: @Sendable ([(client: any TestClientProtocol, hasher: PasswordHasher)]) async throws -> T
) async throws -> T {
    try await backend.withTwoStores { first, second in
        let hashers = [PasswordHasher(cost: 4), PasswordHasher(cost: 4)]
        let apps = [app(on: first, hasher: hashers[0]), app(on: second, hasher: hashers[1])]
        return try await apps[0].test(.router) { one in
            try await apps[1].test(.router) { other in try await body([(one, hashers[0]), (other, hashers[1])]) }
        }
    }
}

private func app(on store: some TripStore, hasher: PasswordHasher) -> some ApplicationProtocol {
    Application(router: buildRouter(store: store, hasher: hasher), services: [hasher], logger: .quiet)
}
