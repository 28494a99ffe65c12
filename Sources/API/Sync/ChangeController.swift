import Hummingbird
import TripCore

/// The caller's change feed: what a client coming back online needs to bring its copy of their trips up to date.
struct ChangeController<Store: ChangeFeedStore, Credentials: CredentialStore> {
    let store: Store
    let verifier: CredentialVerifier<Credentials>

    func addRoutes(to router: Router<TripRequestContext>) {
        router.group("changes")
            .add(middleware: AuthMiddleware(verifier: verifier))
            .get(use: list)
    }

    @Sendable func list(_ request: Request, context: TripRequestContext) async throws -> Response {
        let query = try ChangeQuery(request.uri.queryParameters)
        let page = try await store.changePage(
            reader: try context.caller.id, since: query.since, budget: .changePage(limit: query.limit))
        return .changes(page)
    }
}
