import JSON
import TripCore

/// Collects every invalid field of a request body, each named by its JSON pointer.
struct FieldValidator {
    private(set) var errors: [Problem.FieldError] = []

    mutating func fail(_ pointer: String, _ detail: String) {
        errors.append(.init(pointer: pointer, detail: detail))
    }

    /// The fields of a body that must be an object; anything else fails at once.
    func object(_ value: JSONValue) throws(Problem) -> [String: JSONValue] {
        guard case .object(let fields) = value else {
            throw Problem.invalid([.init(pointer: "", detail: "must be a JSON object")])
        }
        return fields
    }

    /// A string of `length` Unicode code points (JSON Schema's measure) with no control characters and nothing else
    /// XML 1.0 forbids (U+FFFE, U+FFFF), so that it can be written into any markup; or nil after recording why not.
    mutating func text(_ value: JSONValue?, at pointer: String, length: ClosedRange<Int>) -> String? {
        guard case .string(let text)? = value else {
            fail(pointer, value == nil ? "is required" : "must be a string")
            return nil
        }
        guard length.contains(text.unicodeScalars.count) else {
            fail(pointer, "must be \(length.lowerBound) to \(length.upperBound) characters")
            return nil
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || !XML.allows($0) }) else {
            fail(pointer, "must not contain control characters, U+FFFE or U+FFFF")
            return nil
        }
        return text
    }

    mutating func number(_ value: JSONValue?, at pointer: String, in range: ClosedRange<Double>) -> Double? {
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

    func result<T>(_ value: T?) throws(Problem) -> T {
        guard errors.isEmpty, let value else { throw Problem.invalid(errors) }
        return value
    }
}
