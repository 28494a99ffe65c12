import CMongoc
import Foundation
import TripCore

/// Typed reads of a document's top-level fields; a missing field or one of another type reads as nil.
struct BSONFields {
    let document: BSONDocument

    func string(_ key: String) -> String? {
        find(key, BSON_TYPE_UTF8) { iterator in
            var length: UInt32 = 0
            guard let chars = bson_iter_utf8(iterator, &length) else { return nil }
            return chars.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { bytes in
                String(decoding: UnsafeBufferPointer(start: bytes, count: Int(length)), as: UTF8.self)
            }
        }
    }

    func objectID(_ key: String) -> ObjectID? {
        find(key, BSON_TYPE_OID) { iterator in
            guard let oid = bson_iter_oid(iterator) else { return nil }
            return withUnsafeBytes(of: oid.pointee.bytes) { ObjectID(bytes: Array($0)) }
        }
    }

    func id<Record>(_ key: String) -> RecordID<Record>? {
        objectID(key).map(RecordID.init)
    }

    func date(_ key: String) -> Date? {
        find(key, BSON_TYPE_DATE_TIME) { Date(milliseconds: bson_iter_date_time($0)) }
    }

    func integer(_ key: String) -> Int? {
        find(key, nil) { iterator in
            switch bson_iter_type(iterator) {
            case BSON_TYPE_INT32, BSON_TYPE_INT64, BSON_TYPE_DOUBLE: Int(bson_iter_as_int64(iterator))
            default: nil
            }
        }
    }

    func double(_ key: String) -> Double? {
        find(key, nil) { iterator in
            switch bson_iter_type(iterator) {
            case BSON_TYPE_DOUBLE: bson_iter_double(iterator)
            case BSON_TYPE_INT32, BSON_TYPE_INT64: Double(bson_iter_as_int64(iterator))
            default: nil
            }
        }
    }

    func document(_ key: String) -> BSONDocument? {
        find(key, BSON_TYPE_DOCUMENT, Self.copyOfNested)
    }

    /// The documents of an array field, in order; nil if any element is not a document.
    func documents(_ key: String) -> [BSONDocument]? {
        guard let array = find(key, BSON_TYPE_ARRAY, Self.copyOfNested) else { return nil }
        return withExtendedLifetime(array) { () -> [BSONDocument]? in
            let iterator = trip_bson_iter_new()!
            defer { bson_free(UnsafeMutableRawPointer(iterator)) }
            guard bson_iter_init(iterator, array.pointer) else { return nil }
            var items: [BSONDocument] = []
            while bson_iter_next(iterator) {
                guard bson_iter_type(iterator) == BSON_TYPE_DOCUMENT, let item = Self.copyOfNested(iterator) else {
                    return nil
                }
                items.append(item)
            }
            return items
        }
    }

    /// An owned copy of the document or array the iterator points at (an array is a document keyed "0", "1", …).
    private static func copyOfNested(_ iterator: OpaquePointer) -> BSONDocument? {
        var length: UInt32 = 0
        var data: UnsafePointer<UInt8>?
        if bson_iter_type(iterator) == BSON_TYPE_ARRAY {
            bson_iter_array(iterator, &length, &data)
        } else {
            bson_iter_document(iterator, &length, &data)
        }
        return data.flatMap { BSONDocument(data: $0, length: Int(length)) }
    }

    private func find<T>(_ key: String, _ type: bson_type_t?, _ read: (OpaquePointer) -> T?) -> T? {
        let iterator = trip_bson_iter_new()!
        defer { bson_free(UnsafeMutableRawPointer(iterator)) }
        guard bson_iter_init_find(iterator, document.pointer, key) else { return nil }
        if let type, bson_iter_type(iterator) != type { return nil }
        return read(iterator)
    }
}
