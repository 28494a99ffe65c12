import Foundation
import Synchronization

/// A 12-byte identifier shaped like a MongoDB ObjectId: 4-byte seconds, 5-byte process random, 3-byte counter.
///
/// Kept as two big-endian integers, not an array, so ids cost no allocation and compare in byte order.
public struct ObjectID: Hashable, Comparable, Sendable {
    private let high: UInt64
    private let low: UInt32

    /// Creates a new id, unique within this process and ordered by creation time.
    public init(date: Date = .now) {
        let seconds = UInt64(UInt32(clamping: Int64(date.timeIntervalSince1970)))
        let count = Self.counter.add(1, ordering: .relaxed).newValue & 0xFF_FFFF
        high = seconds << 32 | Self.processRandom >> 8
        low = UInt32(truncatingIfNeeded: Self.processRandom) << 24 | count
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 12 else { return nil }
        high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = bytes[8..<12].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Parses exactly 24 lowercase hex digits, the only spelling this server hands out.
    public init?(_ hex: String) {
        var hex = hex
        guard let id = hex.withUTF8({ ObjectID(hexDigits: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = id
    }

    /// Parses exactly 24 lowercase hex digits given as UTF-8.
    public init?(hexDigits hex: UnsafeRawBufferPointer) {
        var high: UInt64 = 0
        var low: UInt32 = 0
        var count = 0
        for c in hex {
            guard count < 24, let nibble = Self.nibble(c) else { return nil }
            if count < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt32(nibble) }
            count += 1
        }
        guard count == 24 else { return nil }
        self.high = high
        self.low = low
    }

    /// The 12 bytes, most significant first.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Calls `body` with the 12 bytes, most significant first.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<12])) }
    }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    /// Five random bytes in the low bits, drawn once per process.
    private static let processRandom = UInt64.random(in: 0...0xFF_FFFF_FFFF)
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
    public var description: String { withUnsafeBytes { String(hexDigitsOf: $0) } }
}

extension String {
    /// Two lowercase hex digits per byte.
    public init(hexDigitsOf bytes: UnsafeRawBufferPointer) {
        self.init(unsafeUninitializedCapacity: 2 * bytes.count) { buffer in
            for (i, byte) in bytes.enumerated() {
                buffer[2 * i] = hexDigit(byte >> 4)
                buffer[2 * i + 1] = hexDigit(byte & 0x0F)
            }
            return 2 * bytes.count
        }
    }
}

/// The lowercase hex digit for a value below 16.
@inline(__always)
func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
}
