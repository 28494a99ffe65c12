import Foundation

/// Writes compact UTF-8 JSON into a byte array, for the documents every read route and the SQLite
/// store produce; callers write keys in sorted order so output matches the API's other encoders.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Punctuation and keys, written as they are: `{"id":`.
    public mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A string with `"`, `\` and control characters escaped, as RFC 8259 requires.
    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0x0A: raw(#"\n"#)
            case 0x0D: raw(#"\r"#)
            case 0x09: raw(#"\t"#)
            case 0..<0x20:
                raw(#"\u00"#)
                appendHex(byte)
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A finite number in Swift's shortest round-trip spelling.
    public mutating func number(_ value: Double) {
        precondition(value.isFinite, "JSON has no spelling for \(value)")
        bytes.append(contentsOf: value.description.utf8)
    }

    public mutating func integer(_ value: Int) {
        bytes.append(contentsOf: value.description.utf8)
    }

    /// A date as an ISO 8601 string in UTC with milliseconds, e.g. `"2026-11-25T09:30:00.250Z"`.
    public mutating func date(_ date: Date) {
        bytes.append(UInt8(ascii: "\""))
        appendISO8601(date)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func id(_ id: ObjectID) {
        bytes.append(UInt8(ascii: "\""))
        id.withUnsafeBytes { for byte in $0 { appendHex(byte) } }
        bytes.append(UInt8(ascii: "\""))
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

    private mutating func appendHex(_ byte: UInt8) {
        bytes.append(hexDigit(byte >> 4))
        bytes.append(hexDigit(byte & 0x0F))
    }

    private mutating func appendISO8601(_ date: Date) {
        let milliseconds = date.milliseconds
        let (days, millisecondOfDay) = Self.floorDivision(milliseconds, 86_400_000)
        let (year, month, day) = Self.civilDate(daysSince1970: days)
        appendDigits(year, count: 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, count: 2)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(millisecondOfDay / 3_600_000, count: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(millisecondOfDay / 60_000 % 60, count: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(millisecondOfDay / 1000 % 60, count: 2)
        bytes.append(UInt8(ascii: "."))
        appendDigits(millisecondOfDay % 1000, count: 3)
        bytes.append(UInt8(ascii: "Z"))
    }

    private mutating func appendDigits(_ value: Int64, count: Int) {
        var divisor: Int64 = 1
        for _ in 1..<count { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor - (value % divisor < 0 ? 1 : 0)
        return (quotient, value - quotient * divisor)
    }

    /// The proleptic Gregorian date of a day count, after Howard Hinnant's `civil_from_days`.
    private static func civilDate(daysSince1970: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let (era, dayOfEra) = floorDivision(daysSince1970 + 719_468, 146_097)
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Date {
    /// ISO 8601 in UTC with milliseconds, the one spelling of a date in every response.
    public var iso8601: String {
        var writer = JSONWriter(capacity: 26)
        writer.date(self)
        return String(decoding: writer.bytes.dropFirst().dropLast(), as: UTF8.self)
    }
}
