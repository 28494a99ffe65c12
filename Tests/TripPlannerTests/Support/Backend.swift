import Foundation
import ServiceLifecycle
import StoreMongo
import StoreSQLite
import Testing
import TripCore

/// A store implementation every contract and HTTP test runs against; each test gets a fresh, prepared
/// store, which is closed and whose database is removed when the test is done. A test whose behaviour does not
/// depend on the store (parsing, negotiation, rendering, limits kept in memory) runs on `.sqliteMemory` alone.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteFile
    case sqliteMemory
    case mongo

    var testDescription: String { rawValue }

    /// A MongoDB server to test against, as `mongodb://HOST:PORT`; `make test` starts one and sets it.
    static let mongoURL = ProcessInfo.processInfo.environment["MONGODB_TEST_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// `SKIP_MONGODB=1`: leave MongoDB out on purpose; `MongoAvailabilityTests` says so in every run.
    static let skipsMongo = ProcessInfo.processInfo.environment["SKIP_MONGODB"] == "1"

    /// What to do when MongoDB is neither reachable nor skipped.
    static let mongoAdvice = "run `make test` or `scripts/with-secantus.sh swift test`, which start a SecantusDB, "
        + "or set MONGODB_TEST_URL to a server, or SKIP_MONGODB=1 to leave MongoDB out"

    /// Every backend there is, MongoDB included unless `SKIP_MONGODB=1`: its cases fail when no server answers.
    static var all: [Backend] { skipsMongo ? [.sqliteFile, .sqliteMemory] : allCases }

    /// Backends whose database several stores can open at once, as several server processes do.
    static var shareable: [Backend] { all.filter { $0 != .sqliteMemory } }

    func withStore<T>(
        clock: WallClock = .system, _ body: (any ArchivableStore & AccountAdminStore & Service) async throws -> T
    ) async throws -> T {
        let database = try await Database(self)
        defer { database.removeFiles() }
        let store = try database.open(clock: clock)
        let result = await Result { () async throws -> T in
            try await store.prepare()
            return try await body(store)
        }
        try await store.close()
        try await database.drop()
        return try result.get()
    }

    /// Two stores on one database, as two server processes would have.
    func withTwoStores<T>(_ body: (any ArchivableStore & AccountAdminStore & Service, any ArchivableStore & AccountAdminStore & Service) async throws -> T) async throws -> T {
        let database = try await Database(self)
        defer { database.removeFiles() }
        let first = try database.open()
        let second = try database.open()
        let result = await Result { () async throws -> T in
            try await first.prepare()
            try await second.prepare()
            return try await body(first, second)
        }
        try await first.close()
        try await second.close()
        try await database.drop()
        return try result.get()
    }

    /// Where a test's data lives: a temporary file, memory, or a MongoDB database of its own.
    private struct Database {
        let backend: Backend
        let location: String

        init(_ backend: Backend) async throws {
            self.backend = backend
            switch backend {
            case .sqliteMemory: location = ":memory:"
            case .sqliteFile: location = Self.fileDirectory.appendingPathComponent("trips-\(UUID()).sqlite").path
            case .mongo: location = "\(try await Backend.requireMongo())/test_\(UUID().uuidString.prefix(12))"
            }
        }

        /// Shared memory where the machine has it: a file store's commits sync to disk, and under the whole suite's
        /// load a sync could hold the write lock past the busy timeout of a second store on the same file.
        static let fileDirectory: URL = {
            let shared = URL(fileURLWithPath: "/dev/shm")
            return FileManager.default.isWritableFile(atPath: shared.path) ? shared : FileManager.default.temporaryDirectory
        }()

        func open(clock: WallClock = .system) throws -> any ArchivableStore & AccountAdminStore & Service {
            backend == .mongo
                ? try MongoTripStore(url: location, threads: 4, clock: clock) : try SQLiteTripStore(path: location, clock: clock)
        }

        /// Drops a MongoDB test database, through a store of its own since the test's may be closed.
        func drop() async throws {
            guard backend == .mongo else { return }
            let cleaner = try MongoTripStore(url: location, threads: 1)
            try await cleaner.dropDatabase()
            try await cleaner.close()
        }

        func removeFiles() {
            guard backend == .sqliteFile else { return }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: location + suffix) }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
