import Foundation

extension JSONWriter {
    /// A date as an ISO 8601 string in UTC to the whole second, e.g. `"2026-11-25T09:30:00Z"`: the form
    /// Foundation's `.iso8601` strategy and OpenAPI clients' default transcoders read.
    public mutating func date(_ date: Date) {
        append(UInt8(ascii: "\""))
        appendISO8601(date)
        append(UInt8(ascii: "\""))
    }

    private mutating func appendISO8601(_ date: Date) {
        let (days, secondOfDay) = Self.floorDivision(Int64(date.timeIntervalSince1970.rounded(.down)), 86_400)
        let (year, month, day) = Self.civilDate(daysSince1970: days)
        appendDigits(year, count: 4)
        append(UInt8(ascii: "-"))
        appendDigits(month, count: 2)
        append(UInt8(ascii: "-"))
        appendDigits(day, count: 2)
        append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, count: 2)
        append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, count: 2)
        append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, count: 2)
        append(UInt8(ascii: "Z"))
    }

    private mutating func appendDigits(_ value: Int64, count: Int) {
        var divisor: Int64 = 1
        for _ in 1..<count { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
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
    /// ISO 8601 in UTC to the whole second, the one spelling of a date in every response.
    public var iso8601: String {
        var writer = JSONWriter(capacity: 22)
        writer.date(self)
        return String(decoding: writer.bytes.dropFirst().dropLast(), as: UTF8.self)
    }
}
