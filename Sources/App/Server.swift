import API
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StoreSQLite
import TripCore

/// Opens the configured store and serves on it until SIGTERM or SIGINT.
struct Server {
    let options: Options

    func run() async throws {
        var logger = Logger(label: "trip-planner")
        logger.logLevel = options.logLevel
        let settings = ServerSettings(host: options.host, port: options.port, bcryptCost: options.bcryptCost)
        do {
            switch options.database {
            case let url where url.hasPrefix("sqlite:"):
                let path = String(url.dropFirst("sqlite:".count))
                let store: SQLiteTripStore
                do {
                    store = try SQLiteTripStore(path: path, logger: logger)
                } catch {
                    throw StartupError("cannot open SQLite database '\(path)': \(error)")
                }
                try await buildApplication(settings, store: store, logger: logger).runService()
            default:
                throw StartupError("unsupported database URL '\(options.database)'; use sqlite:PATH")
            }
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("trip-planner: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
    }
}

struct StartupError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
