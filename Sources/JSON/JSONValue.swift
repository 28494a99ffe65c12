/// Any JSON value, so that validation can name each wrong field instead of failing on the first.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// Exactly one JSON document, strictly parsed.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(JSONParser.Failure) {
        var parser = JSONParser(bytes: bytes)
        self = try parser.document()
    }
}
