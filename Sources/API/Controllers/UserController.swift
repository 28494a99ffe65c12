import Hummingbird
import JSON
import TripCore

/// Sign-up, "who am I", password change and account deletion.
struct UserController<Store: AccountStore & AttemptStore, Credentials: CredentialStore> {
    let store: Store
    let hasher: PasswordHasher
    let verifier: CredentialVerifier<Credentials>
    /// Accounts created per client address; refused and failed sign-ups give their attempt back. Generous, since many
    /// honest people can share one carrier's address.
    let signUps: RateLimit<Store>

    func addRoutes(to router: Router<TripRequestContext>) {
        router.post("users", use: create)
        router.group("users")
            .add(middleware: AuthMiddleware(verifier: verifier))
            .get(use: show)
            .delete(use: delete)
            .put("password", use: changePassword)
    }

    @Sendable func create(_ request: Request, context: TripRequestContext) async throws -> Response {
        let signUp = try SignUp(validating: try await JSONValue.body(of: request))
        let user = try await signUps.spending(.signUps(from: context.clientAddress)) {
            let hash = try await hasher.hash(signUp.password)
            return try await store.createUser(username: signUp.username, passwordHash: hash)
        }
        return try .json(user, status: .created, headers: [.location: "/users"])
    }

    @Sendable func show(_ request: Request, context: TripRequestContext) async throws -> Response {
        try .json(try context.caller, headers: [.cacheControl: "no-store"])
    }

    /// The current password is always required and a wrong one counts as a failed login. Every token of
    /// the account is revoked, and the old password stops working at once on every process.
    @Sendable func changePassword(_ request: Request, context: TripRequestContext) async throws -> HTTPResponse.Status {
        let change = try PasswordChange(validating: try await JSONValue.body(of: request))
        let caller = try context.caller
        guard
            try await verifier.account(username: caller.username, password: change.currentPassword, from: context.clientAddress)
                != nil
        else {
            throw Problem(.forbidden, "currentPassword is not the account's password.")
        }
        let hash = try await hasher.hash(change.newPassword)
        try await store.changePasswordHash(caller.id, to: hash)
        return .noContent
    }

    @Sendable func delete(_ request: Request, context: TripRequestContext) async throws -> HTTPResponse.Status {
        try await store.deleteUser(try context.caller.id)
        return .noContent
    }
}
