import Foundation
import Synchronization

/// A 12-byte identifier shaped like a MongoDB ObjectId: 4-byte seconds, 5-byte process random, 3-byte counter.
public struct ObjectID: Hashable, Comparable, Sendable {
    public let bytes: [UInt8]

    /// Creates a new id, unique within this process and ordered by creation time.
    public init(date: Date = .now) {
        let seconds = UInt32(clamping: Int64(date.timeIntervalSince1970))
        let count = Self.counter.add(1, ordering: .relaxed).newValue & 0xFF_FFFF
        var bytes = [UInt8](repeating: 0, count: 12)
        for i in 0..<4 { bytes[i] = UInt8(truncatingIfNeeded: seconds >> (24 - 8 * i)) }
        for i in 0..<5 { bytes[4 + i] = Self.processRandom[i] }
        for i in 0..<3 { bytes[9 + i] = UInt8(truncatingIfNeeded: count >> (16 - 8 * i)) }
        self.bytes = bytes
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 12 else { return nil }
        self.bytes = bytes
    }

    /// Parses exactly 24 lowercase hex digits, the only spelling this server hands out.
    public init?(_ hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 24 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(12)
        for i in stride(from: 0, to: 24, by: 2) {
            guard let high = Self.nibble(utf8[i]), let low = Self.nibble(utf8[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.bytes = bytes
    }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    private static let processRandom: [UInt8] = (0..<5).map { _ in UInt8.random(in: .min ... .max) }
    private static let counter = Atomic<UInt32>(UInt32.random(in: 0...0xFF_FFFF))

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

extension ObjectID: CustomStringConvertible {
    /// The 24 lowercase hex digits.
    public var description: String { bytes.hexDigits }
}

extension Collection<UInt8> {
    /// Two lowercase hex digits per byte.
    public var hexDigits: String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 2 * count) { buffer in
            for (i, byte) in enumerated() {
                buffer[2 * i] = digits.utf8Start[Int(byte >> 4)]
                buffer[2 * i + 1] = digits.utf8Start[Int(byte & 0x0F)]
            }
            return 2 * count
        }
    }
}

extension ObjectID: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let id = ObjectID(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a 24-hex id")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The id of the user who owns a trip.
public typealias OwnerID = ObjectID
public typealias TripID = ObjectID
