import API
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import StoreMongo
import TripCore

/// Opens the configured store and serves on it until SIGTERM or SIGINT.
struct Server {
    let options: Options

    func run() async throws {
        let logs = LogOutput(descriptor: STDERR_FILENO)
        defer { logs.flush() }
        options.logFormat.bootstrap(to: logs)
        var logger = Logger(label: "trip-planner")
        logger.logLevel = options.logLevel
        let clock = WallClock.system
        let store: any TripStore & Service
        do {
            store = try StoreLocation(options.database).open(logger: logger, clock: clock)
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("trip-planner: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        let descriptors = DescriptorLimit.raise()
        var settings = ServerSettings(
            host: options.host, port: options.port, bcryptCost: options.bcryptCost,
            trustedProxies: TrustedProxies(options.trustedProxies) ?? .none, signUpLimit: options.signupLimit,
            maxConnections: options.maxConnections ?? DescriptorLimit.connections(under: descriptors),
            requestDeadlineSeconds: options.requestDeadline, tripsPerAccount: options.tripsPerAccount,
            tombstoneDays: options.tombstoneDays)
        let shutdown = ShutdownDelay(.seconds(options.shutdownDelay), logger: logger)
        settings.shutdown = shutdown
        settings.clock = clock
        settings.tripCreationsPerWindow = options.tripCreationLimit
        settings.sharedPageRequestsPerWindow = options.sharedPageLimit
        settings.corsOrigins = (try? AllowedOrigins(options.corsOrigins)) ?? .none
        settings.streams.heartbeat = .seconds(options.streamHeartbeat)
        settings.streams.unsentBytesInAll = options.streamMemory << 20
        logger.info(
            "Descriptor limit \(descriptors); serving at most \(settings.maxConnections) connections at once",
            metadata: ["descriptors": "\(descriptors)", "max_connections": "\(settings.maxConnections)"])
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let metricsPort = options.metricsPort {
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            services.append(.init(service: buildMetricsServer(registry: registry, host: options.host, port: metricsPort, logger: logger)))
        }
        services.append(.init(service: buildApplication(settings, store: store, logger: logger)))
        services.append(.init(service: shutdown))
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let refusal as SetupRefusal {
            FileHandle.standardError.write(Data("trip-planner: \(refusal)\n".utf8))
            throw ExitCode(2)
        } catch let error as StoreError where error == .unavailable {
            let database = MongoURL.redacting(options.database, in: options.database)
            FileHandle.standardError.write(Data("trip-planner: cannot reach the database at \(database)\n".utf8))
            throw ExitCode(2)
        }
    }
}
