import Hummingbird
import JSON
import TripCore

/// Sign-up, "who am I" and account deletion.
struct UserController<Store: TripStore> {
    let store: Store
    let hasher: PasswordHasher
    let verifier: CredentialVerifier<Store>

    func addRoutes(to router: Router<TripRequestContext>) {
        router.post("users", use: create)
        router.group("users")
            .add(middleware: AuthMiddleware(verifier: verifier))
            .get(use: show)
            .delete(use: delete)
    }

    @Sendable func create(_ request: Request, context: TripRequestContext) async throws -> Response {
        let signUp = try SignUp(validating: try await JSONValue.body(of: request))
        let hash = try await hasher.hash(signUp.password)
        let user = try await store.createUser(username: signUp.username, passwordHash: hash)
        return try .json(user, status: .created, headers: [.location: "/users"])
    }

    @Sendable func show(_ request: Request, context: TripRequestContext) async throws -> Response {
        try .json(try context.caller)
    }

    @Sendable func delete(_ request: Request, context: TripRequestContext) async throws -> HTTPResponse.Status {
        let owner = try context.caller.id
        try await store.deleteUser(owner)
        verifier.forgetCallers(of: owner)
        return .noContent
    }
}
