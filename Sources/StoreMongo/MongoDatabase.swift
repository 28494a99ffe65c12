import CMongoc
import Foundation

/// A client lent to one store operation, and the collections it opens; inside `inTransaction`, their calls run in
/// that transaction. Lives on one thread of the store's pool for the length of the operation.
final class MongoDatabase {
    let client: OpaquePointer
    let name: String
    private var session: OpaquePointer?
    private var handles: [String: OpaquePointer] = [:]

    init(client: OpaquePointer, name: String) {
        self.client = client
        self.name = name
    }

    deinit {
        for handle in handles.values { mongoc_collection_destroy(handle) }
    }

    subscript(collection: String) -> MongoCollection {
        if let handle = handles[collection] { return MongoCollection(pointer: handle, session: session) }
        let handle = mongoc_client_get_collection(client, name, collection)!
        handles[collection] = handle
        return MongoCollection(pointer: handle, session: session)
    }

    /// Runs `body` in a transaction and commits it, once; with `snapshot`, every read sees one point in time. A
    /// transient failure, as after a write conflict, is thrown for the caller to run it all again without holding this
    /// client meanwhile (`MongoTripStore.inTransaction`). A commit whose outcome is unknown is tried again here, after
    /// a backoff, until `deadline`: only this client's session can finish it.
    func inTransaction<T>(
        snapshot: Bool = false, committingUntil deadline: ContinuousClock.Instant, _ body: (MongoDatabase) throws -> T
    ) throws -> T {
        var error = bson_error_t()
        guard let session = mongoc_client_start_session(client, nil, &error) else { throw MongoFailure(error) }
        self.session = session
        defer {
            self.session = nil
            mongoc_client_session_destroy(session)
        }
        let options = mongoc_transaction_opts_new()!
        defer { mongoc_transaction_opts_destroy(options) }
        if snapshot {
            let concern = mongoc_read_concern_new()!
            defer { mongoc_read_concern_destroy(concern) }
            mongoc_read_concern_set_level(concern, MONGOC_READ_CONCERN_LEVEL_SNAPSHOT)
            mongoc_transaction_opts_set_read_concern(options, concern)
        }
        try checked { mongoc_client_session_start_transaction(session, options, $0) }
        do {
            let value = try body(self)
            try Self.commit(session, until: deadline)
            return value
        } catch {
            _ = mongoc_client_session_abort_transaction(session, nil)
            throw error
        }
    }

    private static func commit(_ session: OpaquePointer, until deadline: ContinuousClock.Instant) throws(MongoFailure) {
        var backoff = RetryBackoff()
        while true {
            let reply = BSONDocument.reply()
            var error = bson_error_t()
            if mongoc_client_session_commit_transaction(session, reply.pointer, &error) { return }
            let failure = MongoFailure(error, reply: reply)
            let left = deadline - .now
            guard failure.labels.contains(MongoFailure.unknownTransactionCommitResult), left > .zero else { throw failure }
            usleep(UInt32(min(backoff.next(), left) / .microseconds(1)))
        }
    }
}
