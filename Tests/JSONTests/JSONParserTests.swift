import Foundation
import JSON
import Testing

@Suite struct JSONParserTests {
    private func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBytes { buffer in try JSONValue(parsing: buffer) }
    }

    private func parse(_ text: String) throws -> JSONValue {
        try parse(Array(text.utf8))
    }

    @Test func parsesEveryKindOfValue() throws {
        guard case .object(let fields) = try parse(#" {"a":[1,-2.5e3,true,false,null],"b":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","c":{}} "#)
        else { Issue.record("not an object"); return }
        guard case .array(let items)? = fields["a"], items.count == 5, case .number(let n) = items[1] else {
            Issue.record("bad array"); return
        }
        #expect(n == -2500)
        guard case .string(let text)? = fields["b"] else { Issue.record("bad string"); return }
        #expect(text == "x\"\\/\u{08}\u{0C}\n\r\té😀")
        guard case .object(let empty)? = fields["c"] else { Issue.record("bad object"); return }
        #expect(empty.isEmpty)
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", #"{"a":1,}"#, #"{"a":1,"a":2}"#, #"{"a" 1}"#, "{a:1}", "'a'", "01", "1.", ".5", "-", "1e",
        "+1", "1e400", "-1e400", "NaN", "Infinity", "tru", "nulls", "[1] [2]", #""\x""#, #""\u12""#, #""\ud800""#,
        #""\ud800\u0041""#, #""\udc00""#, "\"a\tb\"", "\"unterminated", "[" + String(repeating: "[", count: 40) + "]",
    ])
    func rejectsWhatIsNotStrictJSON(text: String) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    /// Numbers short enough to read without a string are read to the same bits as `Double(_:)` reads them.
    @Test func readsEveryNumberAsDoubleDoes() throws {
        var generator = SystemRandomNumberGenerator()
        var texts = ["0", "-0", "0.1", "0.3", "-12.5", "123456789012345", "1234567890123456", "0.000000000000001",
                     "48.85660000000001", "0.30000000000000004", "179.99999999999997", "1e-5", "9007199254740993"]
        for _ in 0..<20_000 {
            let value = Double.random(in: -180...180, using: &generator)
            texts.append(value.description)
            texts.append(String(format: "%.\(Int.random(in: 0...12, using: &generator))f", value))
        }
        for text in texts {
            guard case .number(let read) = try parse(text) else { Issue.record("\(text) is not a number"); continue }
            #expect(read.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParser.Failure.self) { try parse([0x22, 0xFF, 0x22]) }
        #expect(throws: JSONParser.Failure.self) { try parse([0x22, 0x5C, 0x6E, 0xED, 0xA0, 0x80, 0x22]) }
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = JSONParser.maxDepth
        _ = try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        #expect(throws: JSONParser.Failure.self) {
            try parse(String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1))
        }
    }
}
