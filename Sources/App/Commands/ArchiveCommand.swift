import Archive
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TripCore

/// How the data-moving and admin commands open their stores and fail: one line on standard error, then exit status 1 for bad
/// input or stores that differ, 2 for a database that cannot be opened or reached.
enum ArchiveCommand {
    /// Opens and prepares a store for each URL, stamping times from `clock`; the `sources` are read, so a SQLite file
    /// among them must exist rather than be made empty.
    @discardableResult
    static func withStores<T>(
        _ urls: [String], sources: Set<String> = [], clock: WallClock,
        _ body: ([any ArchivableStore & AccountAdminStore]) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "trip-planner")
        logger.logLevel = .critical
        var stores: [any ArchivableStore & AccountAdminStore & Service] = []
        let outcome: Result<T, any Error>
        do {
            for url in urls {
                let location = try StoreLocation(url)
                if sources.contains(url), case .sqlite(let path) = location, path != ":memory:",
                    !FileManager.default.fileExists(atPath: path)
                {
                    throw StartupError("no SQLite database at '\(path)'")
                }
                stores.append(try location.open(logger: logger, clock: clock, patient: true))
                try await stores.last!.prepare()
            }
            outcome = .success(try await body(stores))
        } catch {
            outcome = .failure(error)
        }
        for store in stores { try? await store.close() }
        do {
            return try outcome.get()
        } catch let error as StartupError {
            throw fail(error.message, status: 2)
        } catch let error as SetupRefusal {
            throw fail("\(error)", status: 2)
        } catch let error as StoreError where error == .unavailable {
            throw fail("the database cannot be reached or is too busy", status: 2)
        } catch let error as ArchiveError {
            throw fail(error.description, status: 1)
        } catch let refusal as CommandRefusal {
            throw fail(refusal.message, status: 1)
        }
    }

    private static func fail(_ message: String, status: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("trip-planner: \(message)\n".utf8))
        return ExitCode(status)
    }
}

/// A command refused for what it was asked, such as an unknown username: one line, then exit status 1.
struct CommandRefusal: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
