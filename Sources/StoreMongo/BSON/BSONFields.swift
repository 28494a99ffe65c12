import CMongoc
import Foundation
import TripCore

/// Typed reads of a document's top-level fields, found in one walk over its bytes; a missing field, one of another
/// type, or any field of a malformed document reads as nil. Holds its document, whose bytes it points into.
struct BSONFields {
    /// The document the elements point into; nil when they point into one libmongoc lends.
    private let document: BSONDocument?
    private let elements: [BSONElement]

    init(document: BSONDocument) {
        self.document = document
        elements = BSONElement.walk(document.bytes) ?? []
    }

    /// Reads a document libmongoc lends, such as a cursor's current one, without copying it; `body` must not keep
    /// the fields.
    static func borrowing<T, Failure: Error>(
        _ borrowed: OpaquePointer, _ body: (BSONFields) throws(Failure) -> T
    ) throws(Failure) -> T {
        let bytes = UnsafeRawBufferPointer(start: bson_get_data(borrowed), count: BSONDocument.byteCount(of: borrowed))
        return try body(BSONFields(document: nil, elements: BSONElement.walk(bytes) ?? []))
    }

    private init(document: BSONDocument?, elements: [BSONElement]) {
        self.document = document
        self.elements = elements
    }

    func string(_ key: String) -> String? {
        element(key)?.string
    }

    func objectID(_ key: String) -> ObjectID? {
        value(key, .objectID).flatMap { ObjectID(bytes: Array($0)) }
    }

    func id<Record>(_ key: String) -> RecordID<Record>? {
        objectID(key).map(RecordID.init)
    }

    func date(_ key: String) -> Date? {
        value(key, .dateTime).map { Date(milliseconds: $0.loadLittleEndian(Int64.self)) }
    }

    func integer(_ key: String) -> Int? {
        element(key)?.integer
    }

    func double(_ key: String) -> Double? {
        element(key)?.double
    }

    /// An owned copy of an embedded document.
    func document(_ key: String) -> BSONDocument? {
        value(key, .document).flatMap { BSONDocument(bytes: $0) }
    }

    /// Reads each element of an array field with `read`, in order; nil if the field is missing or any element is
    /// malformed or read as nil.
    func array<T>(_ key: String, _ read: (BSONElement) -> T?) -> [T]? {
        guard let array = value(key, .array) else { return nil }
        var items: [T] = []
        var readable = true
        let wellFormed = BSONElement.forEach(in: array) { element in
            guard readable, let item = read(element) else {
                readable = false
                return
            }
            items.append(item)
        }
        return wellFormed && readable ? items : nil
    }

    private func value(_ key: String, _ type: BSONElement.Kind) -> UnsafeRawBufferPointer? {
        guard let element = element(key), element.type == type else { return nil }
        return element.value
    }

    private func element(_ key: String) -> BSONElement? {
        var key = key
        return key.withUTF8 { key in
            elements.first { $0.key.count == key.count && $0.key.elementsEqual(UnsafeRawBufferPointer(key)) }
        }
    }
}
