import Foundation
import ServiceLifecycle
import StoreSQLite
import Testing
import TripCore

/// A store implementation every contract and HTTP test runs against; each test gets a fresh, prepared store.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteFile
    case sqliteMemory

    var testDescription: String { rawValue }

    static var all: [Backend] { allCases }

    func withStore<T>(_ body: (any TripStore & Service) async throws -> T) async throws -> T {
        switch self {
        case .sqliteMemory:
            let store = try SQLiteTripStore(path: ":memory:")
            try await store.prepare()
            return try await body(store)
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
}
