import CMongoc
import Logging

/// One `mongoc_client_pool_t` for the process, sized so that a thread never waits for a client.
final class MongoClientPool: @unchecked Sendable {
    let databaseName: String
    /// The most clients lent at once: the URL's `maxPoolSize`, unless the store sets it.
    let maxClients: Int
    private let uri: OpaquePointer
    private let pool: OpaquePointer

    /// Parses a `mongodb://` URL. Unless the URL says otherwise: server selection and connection time out
    /// after 2 s, a call to a server that stopped answering fails after `callTimeout` (libmongoc waits 5 minutes,
    /// and so would the request and a SIGTERM drain), and writes are journaled.
    init(url: String, maxClients: Int?, defaultClients: Int, callTimeout: Duration, logger: Logger) throws(MongoFailure) {
        MongoLog.install(logger, url: url)
        var error = bson_error_t()
        guard let uri = mongoc_uri_new_with_error(url, &error) else { throw MongoFailure(error) }
        if !mongoc_uri_has_option(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS) {
            mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 2000)
        }
        if !mongoc_uri_has_option(uri, MONGOC_URI_CONNECTTIMEOUTMS) {
            mongoc_uri_set_option_as_int32(uri, MONGOC_URI_CONNECTTIMEOUTMS, 2000)
        }
        if !mongoc_uri_has_option(uri, MONGOC_URI_SOCKETTIMEOUTMS) {
            mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SOCKETTIMEOUTMS, Int32(callTimeout / .milliseconds(1)))
        }
        if !mongoc_uri_has_option(uri, MONGOC_URI_JOURNAL) {
            let concern = mongoc_write_concern_new()
            mongoc_write_concern_set_journal(concern, true)
            mongoc_uri_set_write_concern(uri, concern)
            mongoc_write_concern_destroy(concern)
        }
        guard let pool = mongoc_client_pool_new_with_error(uri, &error) else {
            mongoc_uri_destroy(uri)
            throw MongoFailure(error)
        }
        mongoc_client_pool_set_error_api(pool, Int32(MONGOC_ERROR_API_VERSION_2))
        self.maxClients = max(1, maxClients ?? Int(mongoc_uri_get_option_as_int32(uri, MONGOC_URI_MAXPOOLSIZE, Int32(defaultClients))))
        mongoc_client_pool_max_size(pool, UInt32(self.maxClients))
        self.uri = uri
        self.pool = pool
        databaseName = mongoc_uri_get_database(uri).map { String(cString: $0) } ?? "trip_planner"
    }

    deinit {
        mongoc_client_pool_destroy(pool)
        mongoc_uri_destroy(uri)
    }

    /// Lends a client for the duration of `body`; call only from the store's thread pool.
    func withClient<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        let client = mongoc_client_pool_pop(pool)!
        defer { mongoc_client_pool_push(pool, client) }
        return try body(client)
    }
}
