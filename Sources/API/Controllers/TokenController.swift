import Hummingbird
import TripCore

/// Bearer tokens: issued for Basic credentials, revoked by presenting them.
struct TokenController<Store: CredentialStore> {
    let verifier: CredentialVerifier<Store>
    let tokens: TokenIssuer<Store>

    func addRoutes(to router: Router<TripRequestContext>) {
        router.group("tokens")
            .add(middleware: AuthMiddleware(verifier: verifier, schemes: [.basic]))
            .post(use: create)
        router.group("tokens")
            .add(middleware: AuthMiddleware(verifier: verifier, schemes: [.bearer]))
            .delete("current", use: revoke)
    }

    @Sendable func create(_ request: Request, context: TripRequestContext) async throws -> Response {
        let issued = try await tokens.issue(for: try context.caller)
        return try .json(
            TokenBody(token: issued.token, expiresAt: issued.expiresAt), status: .created, headers: [.cacheControl: "no-store"])
    }

    @Sendable func revoke(_ request: Request, context: TripRequestContext) async throws -> HTTPResponse.Status {
        guard let digest = context.identity?.tokenDigest else { throw Problem.unauthorized(offering: [.bearer]) }
        try await tokens.revoke(digest: digest)
        return .noContent
    }
}
