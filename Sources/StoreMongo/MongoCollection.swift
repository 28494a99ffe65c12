import CMongoc

/// A borrowed `mongoc_collection_t` with the few calls the store makes, each throwing `MongoFailure`.
struct MongoCollection {
    let pointer: OpaquePointer

    func insert(_ document: BSONDocument) throws(MongoFailure) {
        try withExtendedLifetime(document) { () throws(MongoFailure) in
            try checked { mongoc_collection_insert_one(pointer, document.pointer, nil, nil, $0) }
        }
    }

    /// Documents matching `filter`, in the order and number `options` ask for, ending with the first that brings
    /// their total size past `byteBudget`.
    func find(
        _ filter: BSONDocument, options: BSONDocument? = nil, byteBudget: Int = .max
    ) throws(MongoFailure) -> [BSONDocument] {
        let cursor = withExtendedLifetime((filter, options)) {
            mongoc_collection_find_with_opts(pointer, filter.pointer, options?.pointer, nil)!
        }
        defer { mongoc_cursor_destroy(cursor) }
        var documents: [BSONDocument] = []
        var current: OpaquePointer?
        var bytes = 0
        while bytes <= byteBudget, mongoc_cursor_next(cursor, &current) {
            documents.append(BSONDocument(copying: current!))
            bytes += Int(UnsafeRawPointer(bson_get_data(current!)).loadUnaligned(as: Int32.self).littleEndian)
        }
        try checked { !mongoc_cursor_error(cursor, $0) }
        return documents
    }

    /// How many documents match `filter`, counting no further than `limit`.
    func count(_ filter: BSONDocument, limit: Int) throws(MongoFailure) -> Int {
        let options = BSONDocument(["limit": .int64(Int64(limit))])
        var error = bson_error_t()
        let count = withExtendedLifetime((filter, options)) {
            mongoc_collection_count_documents(pointer, filter.pointer, options.pointer, nil, nil, &error)
        }
        guard count >= 0 else { throw MongoFailure(error) }
        return Int(count)
    }

    func findOne(_ filter: BSONDocument) throws(MongoFailure) -> BSONDocument? {
        try find(filter, options: BSONDocument(["limit": .int64(1)])).first
    }

    /// Deletes what matches; returns how many documents went.
    @discardableResult
    func delete(_ filter: BSONDocument, many: Bool = false) throws(MongoFailure) -> Int {
        let reply = BSONDocument.reply()
        try withExtendedLifetime(filter) { () throws(MongoFailure) in
            try checked {
                many
                    ? mongoc_collection_delete_many(pointer, filter.pointer, nil, reply.pointer, $0)
                    : mongoc_collection_delete_one(pointer, filter.pointer, nil, reply.pointer, $0)
            }
        }
        return reply.fields.integer("deletedCount") ?? 0
    }

    /// Applies `update` to the first document matching `filter`, or with `upsert` inserts one when none
    /// matches; returns how many documents matched or were inserted.
    @discardableResult
    func updateOne(_ filter: BSONDocument, _ update: BSONDocument, upsert: Bool = false) throws(MongoFailure) -> Int {
        let options = BSONDocument(["upsert": .bool(upsert)])
        let reply = BSONDocument.reply()
        try withExtendedLifetime((filter, update, options)) { () throws(MongoFailure) in
            try checked {
                mongoc_collection_update_one(pointer, filter.pointer, update.pointer, options.pointer, reply.pointer, $0)
            }
        }
        return (reply.fields.integer("matchedCount") ?? 0) + (reply.fields.integer("upsertedCount") ?? 0)
    }

    /// Applies `update` to the one document matching `filter` atomically and returns it as it is afterwards.
    func findOneAndUpdate(_ filter: BSONDocument, _ update: BSONDocument) throws(MongoFailure) -> BSONDocument? {
        let options = mongoc_find_and_modify_opts_new()
        defer { mongoc_find_and_modify_opts_destroy(options) }
        withExtendedLifetime(update) { _ = mongoc_find_and_modify_opts_set_update(options, update.pointer) }
        mongoc_find_and_modify_opts_set_flags(options, MONGOC_FIND_AND_MODIFY_RETURN_NEW)
        let reply = BSONDocument.reply()
        try withExtendedLifetime(filter) { () throws(MongoFailure) in
            try checked { mongoc_collection_find_and_modify_with_opts(pointer, filter.pointer, options, reply.pointer, $0) }
        }
        return reply.fields.document("value")
    }
}
