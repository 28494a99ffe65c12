import CMongoc
import TripCore

/// A borrowed `mongoc_collection_t` with the few calls the store makes, each throwing `MongoFailure`; with a
/// session, each call runs in that session's transaction.
struct MongoCollection {
    let pointer: OpaquePointer
    var session: OpaquePointer? = nil

    func insert(_ document: BSONDocument) throws(MongoFailure) {
        let options = try inSession(nil)
        let reply = BSONDocument.reply()
        try withExtendedLifetime((document, options)) { () throws(MongoFailure) in
            try checked(reply: reply) { mongoc_collection_insert_one(pointer, document.pointer, options?.pointer, reply.pointer, $0) }
        }
    }

    /// Inserts the documents in order, in one round trip, stopping at the first that fails.
    func insert(many documents: [BSONDocument]) throws(MongoFailure) {
        guard !documents.isEmpty else { return }
        let options = try inSession(nil)
        let reply = BSONDocument.reply()
        var pointers: [OpaquePointer?] = documents.map { $0.pointer }
        try withExtendedLifetime((documents, options)) { () throws(MongoFailure) in
            try checked(reply: reply) {
                mongoc_collection_insert_many(pointer, &pointers, pointers.count, options?.pointer, reply.pointer, $0)
            }
        }
    }

    /// Documents matching `filter`, in the order and number `options` ask for.
    func find(_ filter: BSONDocument, options: BSONDocument? = nil) throws(MongoFailure) -> [BSONDocument] {
        try find(filter, options: options, BSONDocument.init(copying:))
    }

    /// Like `find`, reading each document with `read` while libmongoc lends it, without a copy.
    func find<T>(
        _ filter: BSONDocument, options: BSONDocument? = nil,
        _ read: (OpaquePointer) throws(MongoFailure) -> T
    ) throws(MongoFailure) -> [T] {
        try find(filter, options: options, bound: ReadBound(items: .max, bytes: .max), read).items
    }

    /// Documents matching `filter` in ascending `field` order, as far as `bound` goes, each measured by its size;
    /// libmongoc fetches at most `boundedBatch` documents ahead, so a read stopped by its bytes leaves few behind.
    func find<T>(
        _ filter: BSONDocument, sortedBy field: String, bound: ReadBound,
        _ read: (OpaquePointer) throws(MongoFailure) -> T
    ) throws(MongoFailure) -> BoundedRead<T> {
        let options = BSONDocument([
            "sort": .document(BSONDocument([field: .int32(1)])), "limit": .int64(Int64(bound.items)),
            "batchSize": .int64(Int64(min(bound.items, Self.boundedBatch))),
        ])
        return try find(filter, options: options, bound: bound, read)
    }

    static let boundedBatch = 16

    private func find<T>(
        _ filter: BSONDocument, options: BSONDocument?, bound: ReadBound,
        _ read: (OpaquePointer) throws(MongoFailure) -> T
    ) throws(MongoFailure) -> BoundedRead<T> {
        let options = try inSession(options)
        let cursor = withExtendedLifetime((filter, options)) {
            mongoc_collection_find_with_opts(pointer, filter.pointer, options?.pointer, nil)!
        }
        defer { mongoc_cursor_destroy(cursor) }
        var current: OpaquePointer?
        let documents = try bound.read { () throws(MongoFailure) -> (item: T, bytes: Int)? in
            guard mongoc_cursor_next(cursor, &current) else { return nil }
            return (try read(current!), BSONDocument.byteCount(of: current!))
        }
        var error = bson_error_t()
        var reply: OpaquePointer?
        if mongoc_cursor_error_document(cursor, &error, &reply) {
            throw MongoFailure(error, reply: reply.map(BSONDocument.init(copying:)))
        }
        return documents
    }

    /// How many documents match `filter`, counting no further than `limit`.
    func count(_ filter: BSONDocument, limit: Int) throws(MongoFailure) -> Int {
        let options = try inSession(BSONDocument(["limit": .int64(Int64(limit))]))
        let reply = BSONDocument.reply()
        var error = bson_error_t()
        let count = withExtendedLifetime((filter, options)) {
            mongoc_collection_count_documents(pointer, filter.pointer, options?.pointer, nil, reply.pointer, &error)
        }
        guard count >= 0 else { throw MongoFailure(error, reply: reply) }
        return Int(count)
    }

    func findOne(_ filter: BSONDocument) throws(MongoFailure) -> BSONDocument? {
        try find(filter, options: BSONDocument(["limit": .int64(1)])).first
    }

    /// Deletes what matches; returns how many documents went.
    @discardableResult
    func delete(_ filter: BSONDocument, many: Bool = false) throws(MongoFailure) -> Int {
        let options = try inSession(nil)
        let reply = BSONDocument.reply()
        try withExtendedLifetime((filter, options)) { () throws(MongoFailure) in
            try checked(reply: reply) {
                many
                    ? mongoc_collection_delete_many(pointer, filter.pointer, options?.pointer, reply.pointer, $0)
                    : mongoc_collection_delete_one(pointer, filter.pointer, options?.pointer, reply.pointer, $0)
            }
        }
        return reply.fields.integer("deletedCount") ?? 0
    }

    /// Applies `update` to the first document matching `filter`, or with `upsert` inserts one when none
    /// matches; returns how many documents matched or were inserted.
    @discardableResult
    func updateOne(_ filter: BSONDocument, _ update: BSONDocument, upsert: Bool = false) throws(MongoFailure) -> Int {
        let options = try inSession(BSONDocument(["upsert": .bool(upsert)]))
        let reply = BSONDocument.reply()
        try withExtendedLifetime((filter, update, options)) { () throws(MongoFailure) in
            try checked(reply: reply) {
                mongoc_collection_update_one(pointer, filter.pointer, update.pointer, options?.pointer, reply.pointer, $0)
            }
        }
        let counts = reply.fields
        return (counts.integer("matchedCount") ?? 0) + (counts.integer("upsertedCount") ?? 0)
    }

    /// Applies `update` to every document matching `filter`; returns how many matched.
    @discardableResult
    func updateMany(_ filter: BSONDocument, _ update: BSONDocument) throws(MongoFailure) -> Int {
        let options = try inSession(nil)
        let reply = BSONDocument.reply()
        try withExtendedLifetime((filter, update, options)) { () throws(MongoFailure) in
            try checked(reply: reply) {
                mongoc_collection_update_many(pointer, filter.pointer, update.pointer, options?.pointer, reply.pointer, $0)
            }
        }
        return reply.fields.integer("matchedCount") ?? 0
    }

    /// Applies `update` to the one document matching `filter` atomically and returns it as it is afterwards; with
    /// `upsert`, inserts one when none matches and returns that.
    func findOneAndUpdate(
        _ filter: BSONDocument, _ update: BSONDocument, upsert: Bool = false
    ) throws(MongoFailure) -> BSONDocument? {
        let options = mongoc_find_and_modify_opts_new()
        defer { mongoc_find_and_modify_opts_destroy(options) }
        withExtendedLifetime(update) { _ = mongoc_find_and_modify_opts_set_update(options, update.pointer) }
        mongoc_find_and_modify_opts_set_flags(
            options,
            upsert ? mongoc_find_and_modify_flags_t(MONGOC_FIND_AND_MODIFY_RETURN_NEW.rawValue | MONGOC_FIND_AND_MODIFY_UPSERT.rawValue)
                : MONGOC_FIND_AND_MODIFY_RETURN_NEW)
        if let session = try inSession(nil) {
            withExtendedLifetime(session) { _ = mongoc_find_and_modify_opts_append(options, session.pointer) }
        }
        let reply = BSONDocument.reply()
        try withExtendedLifetime(filter) { () throws(MongoFailure) in
            try checked(reply: reply) {
                mongoc_collection_find_and_modify_with_opts(pointer, filter.pointer, options, reply.pointer, $0)
            }
        }
        return reply.fields.document("value")
    }

    /// `options`, with this collection's session when it has one.
    private func inSession(_ options: BSONDocument?) throws(MongoFailure) -> BSONDocument? {
        guard let session else { return options }
        let options = options ?? BSONDocument()
        try withExtendedLifetime(options) { () throws(MongoFailure) in
            try checked { mongoc_client_session_append(session, options.pointer, $0) }
        }
        return options
    }
}
