import JSON

/// One invalid field of a record, named by its JSON pointer.
public struct FieldError: Codable, Hashable, Sendable {
    public let pointer: String
    public let detail: String

    public init(pointer: String, detail: String) {
        self.pointer = pointer
        self.detail = detail
    }
}

/// A record that breaks the rules, with every field that does; the API answers it 422.
public struct InvalidRecord: Error, Hashable, Sendable {
    public let errors: [FieldError]

    public init(_ errors: [FieldError]) {
        self.errors = errors
    }
}

/// Collects every invalid field of a record, each named by its JSON pointer.
public struct FieldValidator {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func fail(_ pointer: String, _ detail: String) {
        errors.append(FieldError(pointer: pointer, detail: detail))
    }

    /// The fields of a record that must be an object; anything else fails at once.
    public func object(_ value: JSONValue) throws(InvalidRecord) -> [String: JSONValue] {
        guard case .object(let fields) = value else { throw InvalidRecord([FieldError(pointer: "", detail: "must be a JSON object")]) }
        return fields
    }

    /// A string of `length` Unicode code points (JSON Schema's measure) with no control characters and nothing else
    /// XML 1.0 forbids (U+FFFE, U+FFFF), so that it can be written into any markup; or nil after recording why not.
    public mutating func text(_ value: JSONValue?, at pointer: String, length: ClosedRange<Int>) -> String? {
        guard case .string(let text)? = value else {
            fail(pointer, value == nil ? "is required" : "must be a string")
            return nil
        }
        guard length.contains(text.unicodeScalars.count) else {
            fail(pointer, "must be \(length.lowerBound) to \(length.upperBound) characters")
            return nil
        }
        guard !text.unicodeScalars.contains(where: \.isForbiddenInText) else {
            fail(pointer, "must not contain control characters, U+FFFE or U+FFFF")
            return nil
        }
        return text
    }

    public mutating func number(_ value: JSONValue?, at pointer: String, in range: ClosedRange<Double>) -> Double? {
        guard case .number(let number)? = value else {
            fail(pointer, value == nil ? "is required" : "must be a number")
            return nil
        }
        guard range.contains(number) else {
            fail(pointer, "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return number
    }

    /// A new password, as `PasswordRule` has it.
    public mutating func password(_ value: JSONValue?, at pointer: String) -> String? {
        switch value {
        case .string(let text):
            guard let refusal = PasswordRule.refusal(of: text) else { return text }
            fail(pointer, refusal)
        case nil:
            fail(pointer, "is required")
        default:
            fail(pointer, "must be a string")
        }
        return nil
    }

    public func result<T>(_ value: T?) throws(InvalidRecord) -> T {
        guard errors.isEmpty, let value else { throw InvalidRecord(errors) }
        return value
    }
}

extension Unicode.Scalar {
    /// A control character, or one XML forbids: what no name or recorded text may hold. Printable ASCII, most of any
    /// text, is answered without looking up the character's category.
    public var isForbiddenInText: Bool {
        if (0x20...0x7E).contains(value) { return false }
        return properties.generalCategory == .control || !isXMLCharacter
    }

    /// Whether XML 1.0 allows this character in a document: tab, line feed, carriage return, and U+0020 up, but for
    /// the surrogates and U+FFFE and U+FFFF.
    public var isXMLCharacter: Bool {
        switch value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
