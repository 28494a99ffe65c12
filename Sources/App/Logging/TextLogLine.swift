import Logging

/// One line for people, in the shape of swift-log's `StreamLogHandler`:
/// `2026-12-06T00:12:34.567Z info trip-planner: key=value [source] message`.
enum TextLogLine {
    static func line(_ event: LogEvent, label: String, fields: [LogField]) -> [UInt8] {
        var text = LogTime.now()
        text.reserveCapacity(256)
        text.append(UInt8(ascii: " "))
        text.append(contentsOf: event.level.rawValue.utf8)
        text.append(UInt8(ascii: " "))
        text.append(contentsOf: label.utf8)
        text.append(UInt8(ascii: ":"))
        for field in fields {
            text.append(UInt8(ascii: " "))
            text.append(contentsOf: field.key.utf8)
            text.append(UInt8(ascii: "="))
            appendOneLine(field.value.description, to: &text)
        }
        text.append(contentsOf: " [".utf8)
        text.append(contentsOf: event.source.utf8)
        text.append(contentsOf: "] ".utf8)
        appendOneLine(event.message.description, to: &text)
        text.append(UInt8(ascii: "\n"))
        return text
    }

    /// Appends the text's bytes with each line break written as `\n`, so that one record is one line.
    private static func appendOneLine(_ text: String, to line: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            var run = 0
            for (index, byte) in utf8.enumerated() where byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                line.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<index]))
                line.append(contentsOf: (byte == UInt8(ascii: "\n") ? #"\n"# : #"\r"#).utf8)
                run = index + 1
            }
            line.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
    }
}
