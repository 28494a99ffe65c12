import CMongoc
import TripCore

/// An error libmongoc reported; its text goes to the log, never to a client.
struct MongoFailure: Error, CustomStringConvertible {
    let domain: UInt32
    let code: UInt32
    let message: String
    /// The server's `errorLabels`, or libmongoc's, when the failing call had a reply to carry them.
    let labels: Set<String>

    init(_ error: bson_error_t, reply: BSONDocument? = nil) {
        labels = reply.map { reply in
            withExtendedLifetime(reply) {
                Set(Self.knownLabels.filter { mongoc_error_has_label(reply.pointer, $0) })
            }
        } ?? []
        domain = error.domain
        code = error.code
        message = withUnsafeBytes(of: error.message) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    init(message: String, labels: Set<String> = []) {
        domain = 0
        code = 0
        self.message = message
        self.labels = labels
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
