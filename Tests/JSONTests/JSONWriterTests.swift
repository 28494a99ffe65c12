import Foundation
import JSON
import Testing

@Suite struct JSONWriterTests {
    private func written(_ write: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        write(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test(arguments: [
        (0, "1970-01-01T00:00:00Z"),
        (951_782_400_000, "2000-02-29T00:00:00Z"),
        (1_795_606_199_999, "2026-11-25T11:29:59Z"),
        (4_107_542_400_001, "2100-03-01T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
    ] as [(Int64, String)])
    func writesDatesAsISO8601ToTheWholeSecond(milliseconds: Int64, expected: String) throws {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        #expect(date.iso8601 == expected)
        #expect(written { $0.date(date) } == "\"\(expected)\"")
        let parsed = try Date(expected, strategy: .iso8601)
        #expect(parsed.timeIntervalSince1970 == (Double(milliseconds) / 1000).rounded(.down))
    }

    @Test(arguments: [
        "", "plain", "quote \" and backslash \\", "slash / stays", "line\nfeed\r\ttab", "\u{0}\u{1}\u{1F}\u{7F}",
        "é 😀 日本", "\u{2028}\u{2029}",
    ])
    func writesStringsTheParserReadsBack(text: String) throws {
        let json = written { $0.string(text) }
        #expect(!json.utf8.dropFirst().dropLast().contains { $0 < 0x20 })
        let parsed = try Array(json.utf8).withUnsafeBytes { try JSONValue(parsing: $0) }
        guard case .string(let read) = parsed else { Issue.record("not a string: \(json)"); return }
        #expect(read == text)
    }

    @Test func writesNumbersIdsAndArrays() {
        #expect(written { $0.number(-33.8688) } == "-33.8688")
        #expect(written { $0.number(0.1 + 0.2) } == "0.30000000000000004")
        #expect(written { $0.integer(42) } == "42")
        #expect(written { writer in ([0x01, 0xab, 0xff] as [UInt8]).withUnsafeBytes { writer.hexString($0) } } == #""01abff""#)
        #expect(written { $0.array([1, 2, 3]) { $0.integer($1) } } == "[1,2,3]")
        #expect(written { $0.array([Int]()) { $0.integer($1) } } == "[]")
    }
}
