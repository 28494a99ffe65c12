import API
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StoreMongo
import StoreSQLite
import TripCore

/// Opens the configured store and serves on it until SIGTERM or SIGINT.
struct Server {
    let options: Options

    func run() async throws {
        var logger = Logger(label: "trip-planner")
        logger.logLevel = options.logLevel
        let store: any TripStore & Service
        do {
            store = try openStore(logger: logger)
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

    private func openStore(logger: Logger) throws -> any TripStore & Service {
        let url = options.database
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            do {
                return try SQLiteTripStore(path: path, logger: logger)
            } catch {
                throw StartupError("cannot open SQLite database '\(path)': \(error)")
            }
        }
        if url.hasPrefix("mongodb://") || url.hasPrefix("mongodb+srv://") {
            do {
                return try MongoTripStore(url: url, logger: logger)
            } catch {
                throw StartupError("invalid MongoDB URL: \(error)")
            }
        }
        throw StartupError("unsupported database URL '\(url)'; use sqlite:PATH or mongodb://HOST:PORT/DB")
    }
}

struct StartupError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
