import CMongoc
import Foundation
import TripCore

/// Reads one kind through a single cursor sorted by key, held open between pages on a client of its own, so that the
/// database walks its index once rather than seeking again for every page.
///
/// `@unchecked Sendable`: its state is touched only on the store's thread pool, by one call at a time, since its one
/// caller awaits each `next` and `close` in turn.
final class MongoArchiveReader: ArchivePageReader, @unchecked Sendable {
    private let store: MongoTripStore
    private let kind: ArchiveRecord.Kind
    private let now: Date
    private var client: OpaquePointer?
    private var collection: OpaquePointer?
    private var cursor: OpaquePointer?
    private var finished = false

    init(store: MongoTripStore, kind: ArchiveRecord.Kind, now: Date) {
        self.store = store
        self.kind = kind
        self.now = now
    }

    /// A reader dropped without `close` still gives its client back, though here, off the thread pool.
    deinit {
        release()
    }

    func next(_ limit: Int) async throws -> [ArchiveRecord] {
        try await store.onThread { [self] in
            do {
                return try read(limit)
            } catch {
                release()
                throw error
            }
        }
    }

    func close() async {
        _ = try? await store.onThread { [self] in release() }
    }

    private func read(_ limit: Int) throws -> [ArchiveRecord] {
        guard !finished else { return [] }
        let cursor = self.cursor ?? open()
        var records: [ArchiveRecord] = []
        var current: OpaquePointer?
        while records.count < limit, mongoc_cursor_next(cursor, &current) {
            records.append(try MongoTripStore.archiveRecord(kind, BSONDocument(copying: current!)))
        }
        if records.count < limit {
            var error = bson_error_t()
            var reply: OpaquePointer?
            if mongoc_cursor_error_document(cursor, &error, &reply) {
                throw MongoFailure(error, reply: reply.map(BSONDocument.init(copying:)))
            }
            finished = true
            release()
        }
        return records
    }

    private func open() -> OpaquePointer {
        let client = store.clients.borrow()
        let collection = mongoc_client_get_collection(client, store.databaseName, MongoTripStore.archiveCollection[kind]!)!
        let (filter, sort) = MongoTripStore.archiveQuery(kind, at: now)
        let options = BSONDocument(["sort": .document(sort), "batchSize": .int32(500), "allowDiskUse": .bool(true)])
        let cursor = withExtendedLifetime((filter, options)) {
            mongoc_collection_find_with_opts(collection, filter.pointer, options.pointer, nil)!
        }
        (self.client, self.collection, self.cursor) = (client, collection, cursor)
        return cursor
    }

    private func release() {
        if let cursor { mongoc_cursor_destroy(cursor) }
        if let collection { mongoc_collection_destroy(collection) }
        if let client { store.clients.giveBack(client) }
        (cursor, collection, client) = (nil, nil, nil)
    }
}
