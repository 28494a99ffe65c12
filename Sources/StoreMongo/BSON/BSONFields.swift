import Foundation
import TripCore

/// Typed reads of a document's top-level fields, found in one walk over its bytes; a missing field, one of another
/// type, or any field of a malformed document reads as nil. Holds its document, whose bytes it points into.
struct BSONFields {
    private let document: BSONDocument
    private let elements: [BSONElement]

    init(document: BSONDocument) {
        self.init(document: document, bytes: document.bytes)
    }

    private init(document: BSONDocument, bytes: UnsafeRawBufferPointer) {
        self.document = document
        elements = BSONElement.walk(bytes) ?? []
    }

    func string(_ key: String) -> String? {
        value(key, .string).map { String(decoding: $0.dropFirst(4).dropLast(), as: UTF8.self) }
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
        guard let element = element(key) else { return nil }
        switch element.type {
        case .int32: return Int(element.value.loadLittleEndian(Int32.self))
        case .int64: return Int(exactly: element.value.loadLittleEndian(Int64.self))
        case .double: return Int(exactly: Double(bitPattern: element.value.loadLittleEndian(UInt64.self)).rounded(.towardZero))
        default: return nil
        }
    }

    func double(_ key: String) -> Double? {
        guard let element = element(key) else { return nil }
        switch element.type {
        case .double: return Double(bitPattern: element.value.loadLittleEndian(UInt64.self))
        case .int32: return Double(element.value.loadLittleEndian(Int32.self))
        case .int64: return Double(element.value.loadLittleEndian(Int64.self))
        default: return nil
        }
    }

    /// An owned copy of an embedded document.
    func document(_ key: String) -> BSONDocument? {
        value(key, .document).flatMap { BSONDocument(bytes: $0) }
    }

    /// The fields of each document in an array field, in order; nil if any element is not a document.
    func documents(_ key: String) -> [BSONFields]? {
        guard let array = value(key, .array), let items = BSONElement.walk(array) else { return nil }
        var documents: [BSONFields] = []
        documents.reserveCapacity(items.count)
        for item in items {
            guard item.type == .document else { return nil }
            documents.append(BSONFields(document: document, bytes: item.value))
        }
        return documents
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
