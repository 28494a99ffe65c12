import API
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TripCore

/// Opens the configured store and serves on it until SIGTERM or SIGINT.
struct Server {
    let options: Options

    func run() async throws {
        var logger = Logger(label: "trip-planner")
        logger.logLevel = options.logLevel
        let store: any TripStore & Service
        do {
            store = try StoreLocation(options.database).open(logger: logger)
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("trip-planner: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        let descriptors = DescriptorLimit.raise()
        let settings = ServerSettings(
            host: options.host, port: options.port, bcryptCost: options.bcryptCost,
            trustedProxies: TrustedProxies(options.trustedProxies) ?? .none, signUpLimit: options.signupLimit,
            maxConnections: options.maxConnections ?? DescriptorLimit.connections(under: descriptors),
            requestDeadlineSeconds: options.requestDeadline, tripsPerAccount: options.tripsPerAccount,
            tombstoneDays: options.tombstoneDays)
        logger.info(
            "Descriptor limit \(descriptors); serving at most \(settings.maxConnections) connections at once",
            metadata: ["descriptors": "\(descriptors)", "max_connections": "\(settings.maxConnections)"])
        do {
            try await buildApplication(settings, store: store, logger: logger).runService()
        } catch let refusal as SetupRefusal {
            FileHandle.standardError.write(Data("trip-planner: \(refusal)\n".utf8))
            throw ExitCode(2)
        }
    }
}
