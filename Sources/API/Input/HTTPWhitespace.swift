extension StringProtocol {
    /// Without the spaces and tabs HTTP allows around a header value or its parts.
    var trimmingHTTPWhitespace: SubSequence {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let start = firstIndex { !isWhitespace($0) } ?? endIndex
        let end = lastIndex { !isWhitespace($0) }.map(index(after:)) ?? start
        return self[start..<end]
    }
}
