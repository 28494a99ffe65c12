import Foundation
import TripCore

/// One field of a BSON document: its key and the bytes of its value, both pointing into the document.
struct BSONElement {
    let key: UnsafeRawBufferPointer
    let type: Kind
    let value: UnsafeRawBufferPointer

    /// The element types whose sizes the walk knows; any other makes the document malformed.
    struct Kind: Equatable {
        let code: UInt8
        static let double = Kind(code: 0x01), string = Kind(code: 0x02), document = Kind(code: 0x03)
        static let array = Kind(code: 0x04), binary = Kind(code: 0x05), undefined = Kind(code: 0x06)
        static let objectID = Kind(code: 0x07), bool = Kind(code: 0x08), dateTime = Kind(code: 0x09)
        static let null = Kind(code: 0x0A), regex = Kind(code: 0x0B), dbPointer = Kind(code: 0x0C)
        static let javaScript = Kind(code: 0x0D), symbol = Kind(code: 0x0E), scopedJavaScript = Kind(code: 0x0F)
        static let int32 = Kind(code: 0x10), timestamp = Kind(code: 0x11), int64 = Kind(code: 0x12)
        static let decimal128 = Kind(code: 0x13), minKey = Kind(code: 0xFF), maxKey = Kind(code: 0x7F)
    }

    /// The elements of a whole document (length, elements, a zero byte), each bounds-checked against its bytes; nil
    /// when the bytes are not one well-formed document.
    static func walk(_ document: UnsafeRawBufferPointer) -> [BSONElement]? {
        var elements: [BSONElement] = []
        // An element takes at least a few bytes; most documents here fit this without growing.
        elements.reserveCapacity(max(4, document.count / 16))
        return forEach(in: document) { elements.append($0) } ? elements : nil
    }

    /// Hands each element of a whole document to `body` in order, collecting nothing; false, part way or before
    /// the first, when the bytes are not one well-formed document.
    static func forEach(in document: UnsafeRawBufferPointer, _ body: (BSONElement) -> Void) -> Bool {
        guard document.count >= 5, Int(document.loadLittleEndian(Int32.self)) == document.count,
            document[document.count - 1] == 0
        else { return false }
        let end = document.count - 1
        var offset = 4
        while offset < end {
            let type = Kind(code: document[offset])
            guard let keyEnd = document[(offset + 1)..<end].firstIndex(of: 0) else { return false }
            let key = UnsafeRawBufferPointer(rebasing: document[(offset + 1)..<keyEnd])
            offset = keyEnd + 1
            guard let size = valueSize(type, in: UnsafeRawBufferPointer(rebasing: document[offset..<end])) else { return false }
            body(BSONElement(key: key, type: type, value: UnsafeRawBufferPointer(rebasing: document[offset..<(offset + size)])))
            offset += size
        }
        return true
    }

    func hasKey(_ name: StaticString) -> Bool {
        name.utf8CodeUnitCount == key.count && key.elementsEqual(UnsafeRawBufferPointer(start: name.utf8Start, count: key.count))
    }

    var string: String? {
        type == .string ? String(decoding: value.dropFirst(4).dropLast(), as: UTF8.self) : nil
    }

    var integer: Int? {
        switch type {
        case .int32: Int(value.loadLittleEndian(Int32.self))
        case .int64: Int(value.loadLittleEndian(Int64.self))
        case .double: Int(exactly: Double(bitPattern: value.loadLittleEndian(UInt64.self)).rounded(.towardZero))
        default: nil
        }
    }

    var objectID: ObjectID? {
        type == .objectID ? ObjectID(bytes: Array(value)) : nil
    }

    var date: Date? {
        type == .dateTime ? Date(milliseconds: value.loadLittleEndian(Int64.self)) : nil
    }

    var double: Double? {
        switch type {
        case .double: Double(bitPattern: value.loadLittleEndian(UInt64.self))
        case .int32: Double(value.loadLittleEndian(Int32.self))
        case .int64: Double(value.loadLittleEndian(Int64.self))
        default: nil
        }
    }

    /// The size of a value of `type` at the start of `rest`, checked to fit in it, with a string's trailing zero.
    private static func valueSize(_ type: Kind, in rest: UnsafeRawBufferPointer) -> Int? {
        func prefixed(extra: Int = 0, minimum: Int) -> Int? {
            guard rest.count >= 4 else { return nil }
            let length = Int(rest.loadLittleEndian(Int32.self))
            guard length >= minimum else { return nil }
            return 4 + extra + length
        }
        func cString(from start: Int) -> Int? {
            guard start <= rest.count, let zero = rest[start...].firstIndex(of: 0) else { return nil }
            return zero + 1
        }
        let size: Int?
        switch type {
        case .double, .dateTime, .timestamp, .int64: size = 8
        case .int32: size = 4
        case .bool: size = 1
        case .objectID: size = 12
        case .decimal128: size = 16
        case .undefined, .null, .minKey, .maxKey: size = 0
        case .string, .javaScript, .symbol:
            size = prefixed(minimum: 1)
            if let size, size <= rest.count, rest[size - 1] != 0 { return nil }
        case .document, .array: size = prefixed(minimum: 5).map { $0 - 4 }
        case .binary: size = prefixed(extra: 1, minimum: 0)
        case .scopedJavaScript: size = prefixed(minimum: 14).map { $0 - 4 }
        case .dbPointer: size = prefixed(extra: 12, minimum: 1)
        case .regex: size = cString(from: 0).flatMap(cString(from:))
        default: return nil
        }
        guard let size, size <= rest.count else { return nil }
        return size
    }
}

extension UnsafeRawBufferPointer {
    /// The little-endian integer at the start; the caller has checked that it fits.
    func loadLittleEndian<T: FixedWidthInteger>(_: T.Type) -> T {
        T(littleEndian: loadUnaligned(as: T.self))
    }
}
