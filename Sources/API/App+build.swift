import Hummingbird
import Logging
import ServiceLifecycle
import TripCore

/// What the server needs to know beyond its store.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    public var bcryptCost: Int
    public var trustedProxies: TrustedProxies
    /// Accounts allowed per client address per hour; 0 turns the limit off.
    public var signUpLimit: Int
    /// Connections served at once; past it a new connection is closed as soon as it is accepted. The default suits the
    /// usual limit of 1,024 descriptors; the executable derives its own from the limit it finds.
    public var maxConnections: Int
    public var requestDeadlineSeconds: Int
    public var tripsPerAccount: Int
    /// Days a deletion stays in the change feed.
    public var tombstoneDays: Int
    /// Trips one account may create per `Limits.tripCreationWindowSeconds`; 0 turns the limit off.
    public var tripCreationsPerWindow = Limits.tripCreationsPerWindow
    /// Requests for shared trips one client address may make per `Limits.sharedPageWindowSeconds`; 0 turns the limit off.
    public var sharedPageRequestsPerWindow = Limits.sharedPageRequestsPerWindow
    /// Origins whose pages may call the API from a browser (`CrossOriginMiddleware`); none by default.
    public var corsOrigins = AllowedOrigins.none
    /// Makes `/ready` answer 503 once SIGTERM has come; nil where nothing waits before the drain.
    public var shutdown: ShutdownDelay?
    /// How live change streams are watched, and what each may hold.
    public var streams = LiveStreamSettings()
    /// Where the time that tokens, shares and tombstones are compared against comes from; the store's should be the same.
    public var clock = WallClock.system

    public init(
        host: String = "127.0.0.1", port: Int = 8080, bcryptCost: Int = 12, trustedProxies: TrustedProxies = .none,
        signUpLimit: Int = Limits.signUpsPerAddress, maxConnections: Int = 768,
        requestDeadlineSeconds: Int = Limits.requestDeadlineSeconds, tripsPerAccount: Int = Limits.tripsPerAccount,
        tombstoneDays: Int = Limits.tombstoneDays
    ) {
        self.host = host
        self.port = port
        self.bcryptCost = bcryptCost
        self.trustedProxies = trustedProxies
        self.signUpLimit = signUpLimit
        self.maxConnections = maxConnections
        self.requestDeadlineSeconds = requestDeadlineSeconds
        self.tripsPerAccount = tripsPerAccount
        self.tombstoneDays = tombstoneDays
    }
}

/// The server on `store`; the store runs as one of the application's services and is prepared before it serves.
public func buildApplication<Store: TripStore & Service>(
    _ settings: ServerSettings, store: Store, logger: Logger
) -> some ApplicationProtocol {
    let hasher = PasswordHasher(cost: settings.bcryptCost)
    let streams = ChangeStreams(store: store, settings: settings.streams, clock: settings.clock, logger: logger)
    var app = Application(
        router: buildRouter(store: store, hasher: hasher, settings: settings, streams: streams),
        server: .guardedHTTP1(
            .init(
                idleTimeout: .seconds(Limits.idleTimeoutSeconds),
                httpDecoderConfiguration: .init(maxHeaderFieldSize: Limits.maxHeaderBytes, maxHeaderListSize: Limits.maxHeaderBytes)
            ),
            connections: ConnectionCap(maximum: settings.maxConnections),
            requestDeadline: .seconds(Int64(settings.requestDeadlineSeconds))
        ),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "trip-planner"),
        services: [
            store, hasher, streams,
            TombstonePurge(
                store: store, retention: .seconds(settings.tombstoneDays * 86400), clock: settings.clock, logger: logger),
        ],
        logger: logger
    )
    app.beforeServerStarts { try await store.prepare() }
    return app
}

/// The routes on `store`, whose live change streams send their catch-up and no more: nothing watches their feeds.
public func buildRouter<Store: TripStore>(
    store: Store, hasher: PasswordHasher, settings: ServerSettings = ServerSettings()
) -> Router<TripRequestContext> {
    let streams = ChangeStreams(store: store, settings: settings.streams, clock: settings.clock, logger: Logger(label: "trip-planner"))
    return buildRouter(store: store, hasher: hasher, settings: settings, streams: streams)
}

/// The routes on `store`, with `streams` to run as a service beside them.
func buildRouter<Store: TripStore>(
    store: Store, hasher: PasswordHasher, settings: ServerSettings, streams: ChangeStreams<Store>
) -> Router<TripRequestContext> {
    let router = Router(context: TripRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ClientAddressMiddleware(proxies: settings.trustedProxies))
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    if !settings.corsOrigins.isEmpty {
        // Before MethodNotAllowedMiddleware, which would answer a preflight's OPTIONS 405.
        router.add(middleware: CrossOriginMiddleware(allowed: settings.corsOrigins))
    }
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MethodNotAllowedMiddleware(operations: OpenAPIDocument.operations))
    let verifier = CredentialVerifier(store: store, hasher: hasher, clock: settings.clock)
    HealthController(store: store, shutdown: settings.shutdown).addRoutes(to: router)
    UserController(
        store: store, hasher: hasher, verifier: verifier,
        signUps: RateLimit(
            store: store, allowed: settings.signUpLimit, window: Double(Limits.signUpWindowSeconds),
            refusal: "Too many accounts from this address; try again later.", clock: settings.clock)
    ).addRoutes(to: router)
    TokenController(verifier: verifier, tokens: TokenIssuer(store: store, clock: settings.clock)).addRoutes(to: router)
    TripController(
        store: store, verifier: verifier, tripsPerAccount: settings.tripsPerAccount,
        creations: RateLimit(
            store: store, allowed: settings.tripCreationsPerWindow, window: Double(Limits.tripCreationWindowSeconds),
            refusal: "An account creates at most \(settings.tripCreationsPerWindow) trips in \(Limits.tripCreationWindowSeconds / 60) minutes.",
            clock: settings.clock)
    ).addRoutes(to: router)
    ChangeController(
        store: store, verifier: verifier,
        streams: streams
    ).addRoutes(to: router)
    MemberController(
        store: store, verifier: verifier, clock: settings.clock,
        invitations: RateLimit(
            store: store, allowed: Limits.invitationsPerWindow, window: Double(Limits.invitationWindowSeconds),
            refusal: "An account creates at most \(Limits.invitationsPerWindow) invitations an hour.", clock: settings.clock)
    ).addRoutes(to: router)
    ShareController(
        store: store, verifier: verifier, clock: settings.clock,
        renditions: SharedRenditions(entries: Limits.sharedPageCacheEntries, bytes: Limits.sharedPageCacheBytes),
        visits: AddressRateLimit(
            allowed: settings.sharedPageRequestsPerWindow, window: Double(Limits.sharedPageWindowSeconds),
            addresses: Limits.sharedPageAddresses)
    ).addRoutes(to: router)
    return router
}
