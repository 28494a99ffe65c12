/// Writes compact UTF-8 JSON into a byte array; callers write keys in sorted order so that output
/// matches Foundation's encoder with `.sortedKeys`.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Punctuation and keys, written as they are: `{"id":`.
    /// Drops what was written after the first `count` bytes.
    public mutating func truncate(to count: Int) {
        bytes.removeSubrange(count...)
    }

    public mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A string with `"`, `\` and control characters escaped, as RFC 8259 requires; the runs between them are
    /// copied whole.
    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var run = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<index]))
                escape(byte)
                run = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(byte)
        case 0x0A: raw(#"\n"#)
        case 0x0D: raw(#"\r"#)
        case 0x09: raw(#"\t"#)
        default:
            raw(#"\u00"#)
            appendHex(byte)
        }
    }

    /// A finite number in Swift's shortest round-trip spelling.
    public mutating func number(_ value: Double) {
        precondition(value.isFinite, "JSON has no spelling for \(value)")
        bytes.append(contentsOf: value.description.utf8)
    }

    public mutating func integer(_ value: Int) {
        bytes.append(contentsOf: value.description.utf8)
    }

    /// A string of the bytes' lowercase hex digits, two per byte.
    public mutating func hexString(_ data: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "\""))
        for byte in data { appendHex(byte) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Bytes that already are one JSON value in this writer's spelling, copied as they are.
    public mutating func fragment(_ json: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: json)
    }

    /// `[a,b,…]` with `write` producing each element.
    public mutating func array<Items: Sequence>(_ items: Items, _ write: (inout JSONWriter, Items.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            write(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func appendHex(_ byte: UInt8) {
        bytes.append(Self.hexDigit(byte >> 4))
        bytes.append(Self.hexDigit(byte & 0x0F))
    }

    mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
    }
}
