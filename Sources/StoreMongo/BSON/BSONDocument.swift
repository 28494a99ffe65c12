import CMongoc
import Foundation
import TripCore

/// A value to append to a BSON document.
enum BSONValue {
    case string(String)
    case int32(Int32)
    case int64(Int64)
    case double(Double)
    case bool(Bool)
    case objectID(ObjectID)
    case date(Date)
    case document(BSONDocument)
    case array([BSONValue])

    static func id(_ id: RecordID<some Any>) -> BSONValue {
        .objectID(id.objectID)
    }
}

/// An owned `bson_t`, freed when the last reference goes.
final class BSONDocument {
    /// Valid only while this document is alive: pass it to C inside `withExtendedLifetime`.
    let pointer: OpaquePointer
    private let isReplyStorage: Bool

    init() {
        pointer = bson_new()
        isReplyStorage = false
    }

    convenience init(_ fields: KeyValuePairs<String, BSONValue>) {
        self.init()
        for (key, value) in fields { append(key, value) }
    }

    /// A copy of the bytes of a whole document.
    init?(bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress,
            let pointer = bson_new_from_data(base.assumingMemoryBound(to: UInt8.self), bytes.count)
        else { return nil }
        self.pointer = pointer
        isReplyStorage = false
    }

    /// An owned copy of a document libmongoc lends.
    init(copying borrowed: OpaquePointer) {
        pointer = bson_copy(borrowed)
        isReplyStorage = false
    }

    private init(replyStorage: OpaquePointer) {
        pointer = replyStorage
        isReplyStorage = true
    }

    /// Uninitialised storage that libmongoc fills in as a command's reply.
    static func reply() -> BSONDocument {
        BSONDocument(replyStorage: trip_bson_storage_new()!)
    }

    deinit {
        bson_destroy(pointer)
        if isReplyStorage { bson_free(UnsafeMutableRawPointer(pointer)) }
    }

    func append(_ key: String, _ value: BSONValue) {
        switch value {
        case .string(let text):
            var text = text
            text.withUTF8 { utf8 in
                utf8.withMemoryRebound(to: CChar.self) { chars in
                    _ = bson_append_utf8(pointer, key, -1, chars.baseAddress, Int32(chars.count))
                }
            }
        case .int32(let number): bson_append_int32(pointer, key, -1, number)
        case .int64(let number): bson_append_int64(pointer, key, -1, number)
        case .double(let number): bson_append_double(pointer, key, -1, number)
        case .bool(let flag): bson_append_bool(pointer, key, -1, flag)
        case .objectID(let id):
            var oid = bson_oid_t()
            withUnsafeMutableBytes(of: &oid.bytes) { target in id.withUnsafeBytes { target.copyMemory(from: $0) } }
            bson_append_oid(pointer, key, -1, &oid)
        case .date(let date): bson_append_date_time(pointer, key, -1, date.milliseconds)
        case .document(let document):
            withExtendedLifetime(document) { _ = bson_append_document(pointer, key, -1, document.pointer) }
        case .array(let items):
            let array = BSONDocument()
            for (index, item) in items.enumerated() { array.append(String(index), item) }
            withExtendedLifetime(array) { _ = bson_append_array(pointer, key, -1, array.pointer) }
        }
    }

    /// The document's fields, read in one walk over its bytes: bind it once to read several.
    var fields: BSONFields { BSONFields(document: self) }

    /// The document's bytes, valid while it is alive and not appended to.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: bson_get_data(pointer), count: byteCount) }

    /// The document's size in bytes, as its first four bytes give it.
    var byteCount: Int { Self.byteCount(of: pointer) }

    static func byteCount(of document: OpaquePointer) -> Int {
        Int(UnsafeRawPointer(bson_get_data(document)).loadUnaligned(as: Int32.self).littleEndian)
    }
}
