#if canImport(Darwin)
import Darwin
#else
import Glibc
#endif

/// A strict RFC 8259 parser: no trailing commas, no duplicate keys, valid UTF-8, finite numbers, bounded nesting.
///
/// `document()` builds a `JSONValue` tree; the reading calls (`elements`, `fields`, `string`, `number`)
/// decode a document of a known shape straight into the caller's own types, with the same strictness.
public struct JSONParser {
    public struct Failure: Error {
        public let reason: String
        public let offset: Int

        public init(reason: String, offset: Int) {
            self.reason = reason
            self.offset = offset
        }
    }

    public static let maxDepth = 32

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0

    /// How many bytes have been read.
    public var offset: Int { index }

    public init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Exactly one value, with nothing but white space around it.
    public mutating func document() throws(Failure) -> JSONValue {
        let value = try self.value()
        try end()
        return value
    }

    /// Checks that nothing but white space follows the value read last.
    public mutating func end() throws(Failure) {
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected content after the value") }
    }

    /// Reads an array, calling `element` to read each of its values in turn.
    public mutating func elements(_ element: (inout JSONParser) throws(Failure) -> Void) throws(Failure) {
        try open(UInt8(ascii: "["), "expected an array")
        defer { depth -= 1 }
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try element(&self)
            skipWhitespace()
            switch next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "]"): return
            default: throw fail("expected ',' or ']'")
            }
        }
    }

    /// Reads an object, calling `field` with each key to read its value. Duplicate keys are the caller's to refuse.
    public mutating func fields(_ field: (inout JSONParser, String) throws(Failure) -> Void) throws(Failure) {
        try open(UInt8(ascii: "{"), "expected an object")
        defer { depth -= 1 }
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try stringToken()
            skipWhitespace()
            guard next() == UInt8(ascii: ":") else { throw fail("expected ':'") }
            try field(&self, key)
            skipWhitespace()
            switch next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"): return
            default: throw fail("expected ',' or '}'")
            }
        }
    }

    public mutating func string() throws(Failure) -> String {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        return try stringToken()
    }

    public mutating func number() throws(Failure) -> Double {
        skipWhitespace()
        guard let byte = peek(), byte == UInt8(ascii: "-") || Self.isDigit(byte) else { throw fail("expected a number") }
        return try numberToken()
    }

    /// Passes over exactly these bytes, with no white space before them, or fails.
    public mutating func expect(_ text: StaticString) throws(Failure) {
        guard consume(text) else { throw fail("expected \(text)") }
    }

    /// Passes over exactly these bytes if they come next, with no white space before them.
    public mutating func consume(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard bytes.count - index >= count, memcmp(bytes.baseAddress! + index, text.utf8Start, count) == 0 else {
            return false
        }
        index += count
        return true
    }

    /// Checks a string as `string()` does, without making its text.
    public mutating func skipString() throws(Failure) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        if try !skipPlainString() { _ = try stringToken() }
    }

    /// Checks a number as `number()` does, converting it only when it could be out of range.
    public mutating func skipNumber() throws(Failure) {
        skipWhitespace()
        guard let byte = peek(), byte == UInt8(ascii: "-") || Self.isDigit(byte) else { throw fail("expected a number") }
        let start = index
        let (integerDigits, hasExponent) = try scanNumber()
        if hasExponent || integerDigits > 300 {
            index = start
            _ = try numberToken()
        }
    }

    /// A failure at the current position, for callers that find a value of the wrong shape.
    public func failure(_ reason: String) -> Failure {
        fail(reason)
    }

    private mutating func value() throws(Failure) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else { throw fail("unexpected end") }
        switch byte {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["):
            var items: [JSONValue] = []
            try elements { (parser: inout JSONParser) throws(Failure) in items.append(try parser.value()) }
            return .array(items)
        case UInt8(ascii: "\""): return .string(try stringToken())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try numberToken())
        default: throw fail("unexpected character")
        }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        var members: [String: JSONValue] = [:]
        try fields { (parser: inout JSONParser, key: String) throws(Failure) in
            let keyOffset = parser.index
            guard members.updateValue(try parser.value(), forKey: key) == nil else {
                throw Failure(reason: "duplicate key", offset: keyOffset)
            }
        }
        return .object(members)
    }

    private mutating func open(_ bracket: UInt8, _ expectation: String) throws(Failure) {
        skipWhitespace()
        guard peek() == bracket else { throw fail(expectation) }
        guard depth < Self.maxDepth else { throw fail("nested deeper than \(Self.maxDepth)") }
        depth += 1
        index += 1
    }

    /// Passes over a string with no escapes whose bytes are all ASCII and returns true; otherwise moves
    /// nothing and returns false.
    private mutating func skipPlainString() throws(Failure) -> Bool {
        var end = index + 1
        var high: UInt8 = 0
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 {
            high |= bytes[end]
            end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\""), high < 0x80 else { return false }
        index = end + 1
        return true
    }

    private mutating func stringToken() throws(Failure) -> String {
        index += 1
        let start = index
        var high: UInt8 = 0
        while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 {
            high |= byte
            index += 1
        }
        if peek() == UInt8(ascii: "\"") {
            index += 1
            let text = UnsafeRawBufferPointer(rebasing: bytes[start..<index - 1])
            return high < 0x80 ? String(decoding: text, as: UTF8.self) : try Self.validUTF8(text, offset: start)
        }
        var utf8 = Array(bytes[start..<index])
        while let byte = next() {
            switch byte {
            case UInt8(ascii: "\""):
                return try Self.validUTF8(utf8, offset: start)
            case UInt8(ascii: "\\"):
                try escape(into: &utf8)
            case 0..<0x20:
                throw fail("unescaped control character in a string")
            default:
                utf8.append(byte)
            }
        }
        throw fail("unterminated string")
    }

    /// The text of `utf8`, or a failure if it is not valid UTF-8: decoding repairs invalid bytes, so
    /// any difference from the input means there were some.
    private static func validUTF8(_ utf8: some Collection<UInt8>, offset: Int) throws(Failure) -> String {
        let text = String(decoding: utf8, as: UTF8.self)
        guard text.utf8.elementsEqual(utf8) else { throw Failure(reason: "invalid UTF-8 in a string", offset: offset) }
        return text
    }

    private mutating func escape(into utf8: inout [UInt8]) throws(Failure) {
        switch next() {
        case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var code = UInt32(try hex4())
            if (0xD800..<0xDC00).contains(code) {
                guard next() == UInt8(ascii: "\\"), next() == UInt8(ascii: "u") else { throw fail("unpaired surrogate") }
                let low = UInt32(try hex4())
                guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { throw fail("unpaired surrogate") }
            utf8.append(contentsOf: String(Character(scalar)).utf8)
        default:
            throw fail("invalid escape")
        }
    }

    private mutating func hex4() throws(Failure) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = next(), let digit = Self.hexDigit(byte) else { throw fail("invalid \\u escape") }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private mutating func numberToken() throws(Failure) -> Double {
        let start = index
        let (_, hasExponent) = try scanNumber()
        if !hasExponent, let exact = Self.shortDecimal(UnsafeRawBufferPointer(rebasing: bytes[start..<index])) { return exact }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let number = Double(text), number.isFinite else {
            throw Failure(reason: "number out of range", offset: start)
        }
        return number
    }

    /// A number of at most 15 digits and no exponent, without making a string: its digits as an integer, exact in a
    /// `Double` below 2^53, divided by a power of ten that is exact too, is the correctly rounded value, as `Double(_:)`
    /// would give (Clinger's fast path). Nil for anything longer.
    private static func shortDecimal(_ text: UnsafeRawBufferPointer) -> Double? {
        var digits: UInt64 = 0
        var count = 0
        var fractionDigits = 0
        var isFraction = false
        for byte in text {
            switch byte {
            case UInt8(ascii: "-"): continue
            case UInt8(ascii: "."): isFraction = true
            default:
                count += 1
                guard count <= 15 else { return nil }
                digits = digits * 10 + UInt64(byte &- UInt8(ascii: "0"))
                if isFraction { fractionDigits += 1 }
            }
        }
        let magnitude = Double(digits) / exactPowersOfTen[fractionDigits]
        return text.first == UInt8(ascii: "-") ? -magnitude : magnitude
    }

    private static let exactPowersOfTen: [Double] = (0...15).map { exponent in (0..<exponent).reduce(1.0) { value, _ in value * 10 } }

    /// Passes over a number's grammar: how many digits precede the point, and whether an exponent follows.
    private mutating func scanNumber() throws(Failure) -> (integerDigits: Int, hasExponent: Bool) {
        if peek() == UInt8(ascii: "-") { index += 1 }
        var integerDigits = 1
        if peek() == UInt8(ascii: "0") {
            index += 1
        } else {
            integerDigits = digits()
            guard integerDigits > 0 else { throw fail("invalid number") }
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw fail("invalid number") }
        }
        guard peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") else { return (integerDigits, false) }
        index += 1
        if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
        guard digits() > 0 else { throw fail("invalid number") }
        return (integerDigits, true)
    }

    private mutating func digits() -> Int {
        let start = index
        while let byte = peek(), Self.isDigit(byte) { index += 1 }
        return index - start
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        guard consume(word) else { throw fail("invalid literal") }
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func next() -> UInt8? {
        defer { index += 1 }
        return peek()
    }

    private func fail(_ reason: String) -> Failure {
        Failure(reason: reason, offset: min(index, bytes.count))
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
