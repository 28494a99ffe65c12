import CMongoc
import TripCore

/// An error libmongoc reported; its text goes to the log, never to a client.
struct MongoFailure: Error, CustomStringConvertible {
    let domain: UInt32
    let code: UInt32
    let message: String
    /// The server's `errorLabels`, or libmongoc's, when the failing call had a reply to carry them.
    let labels: Set<String>
    /// For a stored document this code cannot read: its kind and id, which the store reports as `StoreError.corrupt`.
    let corrupt: (record: StoreError.Record, id: String?)?

    init(_ error: bson_error_t, reply: BSONDocument? = nil) {
        labels = reply.map { reply in
            withExtendedLifetime(reply) {
                Set(Self.knownLabels.filter { mongoc_error_has_label(reply.pointer, $0) })
            }
        } ?? []
        domain = error.domain
        code = error.code
        corrupt = nil
        message = withUnsafeBytes(of: error.message) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    init(message: String, labels: Set<String> = [], corrupt: (record: StoreError.Record, id: String?)? = nil) {
        domain = 0
        code = 0
        self.message = message
        self.labels = labels
        self.corrupt = corrupt
    }

    /// A stored document of `record` this code cannot read, named by its `_id` when it has one.
    static func corrupt(_ record: StoreError.Record, _ fields: BSONFields?, _ detail: String) -> MongoFailure {
        let id = fields.flatMap { $0.objectID("_id")?.description ?? $0.string("_id") }
        return MongoFailure(message: detail, corrupt: (record, id))
    }

    private static let knownLabels = [Self.transientTransactionError, Self.unknownTransactionCommitResult]
    /// The transaction failed as a whole, by a write conflict or a lost connection: it may be run again.
    static let transientTransactionError = "TransientTransactionError"
    /// The commit's outcome is unknown: it may be committed again.
    static let unknownTransactionCommitResult = "UnknownTransactionCommitResult"

    var description: String { "MongoDB error \(domain).\(code): \(message)" }

    var isDuplicateKey: Bool { code == 11000 || code == 11001 }

    /// The unique index a duplicate key clashed on, as the server's message names it: both `mongod` and SecantusDB
    /// write `E11000 duplicate key error collection: DB.COLLECTION index: NAME dup key: …`.
    var duplicateIndex: String? {
        guard isDuplicateKey, let named = message.range(of: " index: ") else { return nil }
        return String(message[named.upperBound...].prefix { $0 != " " })
    }

    /// The server could not be reached or answered nothing usable: worth retrying later.
    var isUnavailable: Bool {
        switch domain {
        case MONGOC_ERROR_STREAM.rawValue, MONGOC_ERROR_SERVER_SELECTION.rawValue, MONGOC_ERROR_PROTOCOL.rawValue:
            true
        case MONGOC_ERROR_CLIENT.rawValue:
            code == MONGOC_ERROR_CLIENT_AUTHENTICATE.rawValue
        default:
            false
        }
    }
}

/// Calls a libmongoc function that reports failure through a `bson_error_t`, and through `reply` when it has one.
func checked(reply: BSONDocument? = nil, _ call: (UnsafeMutablePointer<bson_error_t>) -> Bool) throws(MongoFailure) {
    var error = bson_error_t()
    guard call(&error) else { throw MongoFailure(error, reply: reply) }
}
