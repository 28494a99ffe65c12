import Logging
import ServiceLifecycle
import StoreMongo
import StoreSQLite
import TripCore

/// A database named by URL: `sqlite:PATH`, `sqlite::memory:` or `mongodb://HOST:PORT/DB`.
enum StoreLocation {
    case sqlite(path: String)
    case mongo(url: String)

    init(_ url: String) throws {
        if url.hasPrefix("sqlite:") {
            self = .sqlite(path: String(url.dropFirst("sqlite:".count)))
        } else if url.hasPrefix("mongodb://") || url.hasPrefix("mongodb+srv://") {
            self = .mongo(url: url)
        } else {
            throw StartupError(MongoURL.redacting(url, in: "unsupported database URL '\(url)'; use sqlite:PATH or mongodb://HOST:PORT/DB"))
        }
    }

    /// With `patient`, as the data-moving commands open it, one MongoDB call may take ten minutes rather than 10 s.
    func open(logger: Logger, clock: WallClock, patient: Bool = false) throws -> any ArchivableStore & AccountAdminStore & Service {
        switch self {
        case .sqlite(let path):
            do {
                return try SQLiteTripStore(path: path, clock: clock, logger: logger)
            } catch {
                throw StartupError("cannot open SQLite database '\(path)': \(error)")
            }
        case .mongo(let url):
            do {
                return try MongoTripStore(url: url, callTimeout: .seconds(patient ? 600 : 10), clock: clock, logger: logger)
            } catch {
                throw StartupError(MongoURL.redacting(url, in: "invalid MongoDB URL '\(url)': \(error)"))
            }
        }
    }
}

/// A reason the process cannot start, printed as one line before it exits with status 2.
struct StartupError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
