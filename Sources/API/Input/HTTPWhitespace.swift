extension StringProtocol {
    /// Without the spaces and tabs HTTP allows around a header value or its parts, found by byte, so that a combining
    /// mark after a space cannot keep it.
    package var trimmingHTTPWhitespace: SubSequence {
        let isWhitespace: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let bytes = utf8
        let start = bytes.firstIndex { !isWhitespace($0) } ?? bytes.endIndex
        var end = start
        var index = start
        while index < bytes.endIndex {
            if !isWhitespace(bytes[index]) { end = bytes.index(after: index) }
            bytes.formIndex(after: &index)
        }
        return self[start..<end]
    }
}
