import Hummingbird
import Logging
import ServiceLifecycle
import TripCore

/// What the server needs to know beyond its store.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    public var bcryptCost: Int

    public init(host: String = "127.0.0.1", port: Int = 8080, bcryptCost: Int = 12) {
        self.host = host
        self.port = port
        self.bcryptCost = bcryptCost
    }
}

/// The server on `store`; the store runs as one of the application's services and is prepared before it serves.
public func buildApplication<Store: TripStore & Service>(
    _ settings: ServerSettings, store: Store, logger: Logger
) -> some ApplicationProtocol {
    let hasher = PasswordHasher(cost: settings.bcryptCost)
    var app = Application(
        router: buildRouter(store: store, hasher: hasher),
        server: .http1(configuration: .init(
            idleTimeout: .seconds(Limits.idleTimeoutSeconds),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: Limits.maxHeaderBytes, maxHeaderListSize: Limits.maxHeaderBytes)
        )),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "trip-planner"),
        services: [store, hasher],
        logger: logger
    )
    app.beforeServerStarts { try await store.prepare() }
    return app
}

public func buildRouter<Store: TripStore>(store: Store, hasher: PasswordHasher) -> Router<TripRequestContext> {
    let router = Router(context: TripRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MethodNotAllowedMiddleware(operations: OpenAPIDocument.operations))
    let authenticator = Authenticator(store: store, hasher: hasher)
    HealthController(store: store).addRoutes(to: router)
    UserController(store: store, authenticator: authenticator).addRoutes(to: router)
    TokenController(store: store, authenticator: authenticator).addRoutes(to: router)
    TripController(store: store, authenticator: authenticator).addRoutes(to: router)
    return router
}
