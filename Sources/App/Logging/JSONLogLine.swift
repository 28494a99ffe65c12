import JSON
import Logging

/// One JSON object a line, for log shippers:
/// `{"time":"…","level":"info","label":"…","message":"…","source":"…","metadata":{…}}`.
enum JSONLogLine {
    static func line(_ event: LogEvent, label: String, fields: [LogField]) -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.raw(#"{"time":""#)
        LogTime.now().withUnsafeBytes { writer.fragment($0) }
        writer.raw(#"","level":"#)
        writer.string(event.level.rawValue)
        writer.raw(#","label":"#)
        writer.string(label)
        writer.raw(#","message":"#)
        writer.string(event.message.description)
        writer.raw(#","source":"#)
        writer.string(event.source)
        if !fields.isEmpty {
            writer.raw(#","metadata":{"#)
            for (index, field) in fields.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(field.key)
                writer.raw(":")
                write(field.value, into: &writer)
            }
            writer.raw("}")
        }
        writer.raw("}\n")
        return writer.bytes
    }

    private static func write(_ value: Logger.Metadata.Value, into writer: inout JSONWriter) {
        switch value {
        case .string(let text): writer.string(text)
        case .stringConvertible(let convertible): writer.string(convertible.description)
        case .dictionary(let dictionary):
            writer.raw("{")
            for (index, (key, value)) in dictionary.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(key)
                writer.raw(":")
                write(value, into: &writer)
            }
            writer.raw("}")
        case .array(let items):
            writer.raw("[")
            for (index, item) in items.enumerated() {
                if index > 0 { writer.raw(",") }
                write(item, into: &writer)
            }
            writer.raw("]")
        }
    }
}
