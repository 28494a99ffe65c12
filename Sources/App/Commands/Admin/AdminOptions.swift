import ArgumentParser
import TripCore

/// The options every admin command takes.
struct AdminOptions: ParsableArguments {
    @Option(help: "sqlite:PATH or mongodb://HOST:PORT/DB  [env: DATABASE_URL]")
    var database: String

    @Flag(help: "JSON for scripts: one object, or one per line for lists.")
    var json = false
}

extension AdminOptions {
    /// Runs `body` with the store, which must exist; see `ArchiveCommand.withStores` for the exit statuses.
    func withStore<T>(_ body: (any ArchivableStore & AccountAdminStore) async throws -> T) async throws -> T {
        try await ArchiveCommand.withStores([database], sources: [database], clock: .system) { stores in try await body(stores[0]) }
    }
}
