import Hummingbird
import TripCore

/// The caller's change feed: what a client coming back online needs to bring its copy of their trips up to date, as a
/// page, or as a live stream of Server-Sent Events that goes on with each change as it commits.
struct ChangeController<Store: ChangeFeedStore & LiveFeedStore, Credentials: CredentialStore> {
    let store: Store
    let verifier: CredentialVerifier<Credentials>
    let streams: ChangeStreams<Store>

    func addRoutes(to router: Router<TripRequestContext>) {
        router.group("changes")
            .add(middleware: AuthMiddleware(verifier: verifier))
            .get(use: list)
    }

    @Sendable func list(_ request: Request, context: TripRequestContext) async throws -> Response {
        let query = try ChangeQuery(request)
        if StreamRequest.isRequested(accepting: request.headers[values: .accept]) {
            return try await stream(from: query.since, context: context)
        }
        let page = try await store.changePage(
            reader: try context.caller.id, since: query.since, budget: .changePage(limit: query.limit))
        return .changes(page)
    }

    private func stream(from since: ChangeCursor?, context: TripRequestContext) async throws -> Response {
        guard let identity = context.identity else { throw Problem.unauthorized }
        let first = try await store.changePage(
            reader: identity.user.id, since: since, budget: .changePage(limit: Limits.changePageDefault))
        let feed = LiveChangeFeed(
            streams: streams, identity: identity, first: FirstPage(first), connectionClosed: context.connectionClosed, logger: context.logger)
        return Response(
            status: .ok,
            headers: [.contentType: EventStreamText.contentType, .cacheControl: "no-store", .xAccelBuffering: "no"],
            body: ResponseBody { writer in try await feed.write(to: &writer) })
    }
}
