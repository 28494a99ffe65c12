import Foundation
import ServiceLifecycle
import StoreMongo
import StoreSQLite
import Testing
import TripCore

/// A store implementation every contract and HTTP test runs against; each test gets a fresh, prepared store.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteFile
    case sqliteMemory
    case mongo

    var testDescription: String { rawValue }

    /// A MongoDB server to test against, as `mongodb://HOST:PORT`; `make test` starts one and sets it.
    static let mongoURL = ProcessInfo.processInfo.environment["MONGODB_TEST_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// Every backend there is; MongoDB only when `MONGODB_TEST_URL` names a server.
    static var all: [Backend] { mongoURL == nil ? [.sqliteFile, .sqliteMemory] : allCases }

    func withStore<T>(_ body: (any TripStore & Service) async throws -> T) async throws -> T {
        switch self {
        case .sqliteMemory:
            let store = try SQLiteTripStore(path: ":memory:")
            try await store.prepare()
            return try await body(store)
        case .mongo:
            let base = try #require(Self.mongoURL, "MONGODB_TEST_URL is not set")
            let url = "\(base)/test_\(UUID().uuidString.prefix(12))"
            let store = try MongoTripStore(url: url, threads: 4)
            let result = await Result(catching: { () async throws -> T in
                try await store.prepare()
                return try await body(store)
            })
            await store.shutdown()
            let cleaner = try MongoTripStore(url: url, threads: 1)
            try await cleaner.dropDatabase()
            await cleaner.shutdown()
            return try result.get()
        case .sqliteFile:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("trips-\(UUID()).sqlite").path
            defer {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            let store = try SQLiteTripStore(path: path)
            try await store.prepare()
            return try await body(store)
        }
    }

    /// Two stores on one database, as two server processes would have; only backends that share one qualify.
    static var shareable: [Backend] { all.filter { $0 != .sqliteMemory } }

    func withTwoStores<T>(_ body: (any TripStore & Service, any TripStore & Service) async throws -> T) async throws -> T {
        try await withStore { first in
            let second: any TripStore & Service
            switch first {
            case let sqlite as SQLiteTripStore where sqlite.path != ":memory:":
                second = try SQLiteTripStore(path: sqlite.path)
            case let mongo as MongoTripStore:
                second = try MongoTripStore(url: "\(try #require(Self.mongoURL))/\(mongo.databaseName)", threads: 4)
            default:
                throw StoreError.unavailable
            }
            let result = await Result(catching: { () async throws -> T in
                try await second.prepare()
                return try await body(first, second)
            })
            await (second as? MongoTripStore)?.shutdown()
            return try result.get()
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
