import JSON

extension FuzzTargets {
    /// The JSON parser: a document that parses is written back and parses to the same value; a refusal points
    /// inside the input.
    static func json(_ bytes: UnsafeRawBufferPointer) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            return check((0...bytes.count).contains(error.offset), "failure offset \(error.offset) of \(bytes.count) bytes")
        }
        check(value.nesting <= JSONParser.maxDepth, "a document nested \(value.nesting) deep parsed")
        var writer = JSONWriter()
        writer.value(value)
        do {
            let again = try writer.bytes.withUnsafeBytes { try JSONValue(parsing: $0) }
            check(again == value, "\(String(decoding: writer.bytes, as: UTF8.self)) reads back as another value")
        } catch {
            check(false, "\(String(decoding: writer.bytes, as: UTF8.self)) written back does not parse: \(error)")
        }
    }
}

extension JSONWriter {
    /// Any value, keys sorted; recursive, so only for values the parser's depth bound holds.
    mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let items): array(items) { $0.value($1) }
        case .object(let fields):
            raw("{")
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { raw(",") }
                string(key)
                raw(":")
                self.value(fields[key]!)
            }
            raw("}")
        }
    }
}

extension JSONValue {
    /// Arrays and objects on the deepest path through the value, counted without recursion.
    var nesting: Int {
        var deepest = 0
        var pending = [(self, 0)]
        while let (value, depth) = pending.popLast() {
            switch value {
            case .array(let items):
                deepest = max(deepest, depth + 1)
                pending += items.map { ($0, depth + 1) }
            case .object(let fields):
                deepest = max(deepest, depth + 1)
                pending += fields.values.map { ($0, depth + 1) }
            default:
                break
            }
        }
        return deepest
    }
}
