import Hummingbird
import Logging
import ServiceLifecycle
import TripCore

/// What the server needs to know beyond its store.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    public var bcryptCost: Int
    /// How long a read may trust a caller this process authenticated without asking the store.
    public var recentCallerLifetime: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 8080, bcryptCost: Int = 12,
        recentCallerLifetime: Duration = Limits.recentCallerLifetime
    ) {
        self.host = host
        self.port = port
        self.bcryptCost = bcryptCost
        self.recentCallerLifetime = recentCallerLifetime
    }
}

/// The server on `store`; the store runs as one of the application's services and is prepared before it serves.
public func buildApplication<Store: TripStore & Service>(
    _ settings: ServerSettings, store: Store, logger: Logger
) -> some ApplicationProtocol {
    let hasher = PasswordHasher(cost: settings.bcryptCost)
    var app = Application(
        router: buildRouter(store: store, hasher: hasher, recentCallerLifetime: settings.recentCallerLifetime),
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

public func buildRouter<Store: TripStore>(
    store: Store, hasher: PasswordHasher, recentCallerLifetime: Duration = Limits.recentCallerLifetime
) -> Router<TripRequestContext> {
    let router = Router(context: TripRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MethodNotAllowedMiddleware(operations: OpenAPIDocument.operations))
    let verifier = CredentialVerifier(store: store, hasher: hasher, recentCallerLifetime: recentCallerLifetime)
    HealthController(store: store).addRoutes(to: router)
    UserController(store: store, hasher: hasher, verifier: verifier).addRoutes(to: router)
    TokenController(verifier: verifier, tokens: TokenIssuer(store: store, verifier: verifier)).addRoutes(to: router)
    TripController(store: store, verifier: verifier).addRoutes(to: router)
    return router
}
