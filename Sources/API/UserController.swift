import Hummingbird
import JSON
import TripCore

/// Sign-up, "who am I" and account deletion.
struct UserController<Store: TripStore> {
    let store: Store
    let authenticator: Authenticator<Store>

    func addRoutes(to router: Router<TripRequestContext>) {
        router.post("users", use: create)
        router.group("users")
            .add(middleware: AuthMiddleware(authenticator: authenticator))
            .get(use: show)
            .delete(use: delete)
    }

    @Sendable func create(_ request: Request, context: TripRequestContext) async throws -> Response {
        let signUp = try SignUp(validating: try await JSONValue.body(of: request))
        let hash = try await authenticator.hasher.hash(signUp.password)
        let user = try await store.createUser(username: signUp.username, passwordHash: hash)
        return try .json(user, status: .created, headers: [.location: "/users"])
    }

    @Sendable func show(_ request: Request, context: TripRequestContext) async throws -> Response {
        try .json(try context.caller)
    }

    @Sendable func delete(_ request: Request, context: TripRequestContext) async throws -> HTTPResponse.Status {
        try await authenticator.deleteUser(try context.caller.id)
        return .noContent
    }
}
