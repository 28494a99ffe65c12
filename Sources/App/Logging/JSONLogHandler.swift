import API
import ArgumentParser
import Foundation
import JSON
import Logging
import Synchronization

/// Writes each log line to standard error as one JSON object, for log shippers:
/// `{"time":"…","level":"info","label":"…","message":"…","source":"…","metadata":{…}}`.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    private static let output = Mutex(())
    private static let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    init(label: String, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit { merged.merge(explicit) { $1 } }
        var writer = JSONWriter(capacity: 256)
        writer.raw(#"{"time":"#)
        writer.string(Date.now.formatted(Self.time))
        writer.raw(#","level":"#)
        writer.string(level.rawValue)
        writer.raw(#","label":"#)
        writer.string(label)
        writer.raw(#","message":"#)
        writer.string(message.description)
        writer.raw(#","source":"#)
        writer.string(source)
        if !merged.isEmpty {
            writer.raw(#","metadata":"#)
            Self.write(merged, into: &writer)
        }
        writer.raw("}\n")
        let bytes = writer.bytes
        Self.output.withLock { _ in writeToStandardError(bytes) }
    }

    private static func write(_ metadata: Logger.Metadata, into writer: inout JSONWriter) {
        writer.raw("{")
        for (index, (key, value)) in metadata.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { writer.raw(",") }
            writer.string(key)
            writer.raw(":")
            write(value, into: &writer)
        }
        writer.raw("}")
    }

    private static func write(_ value: Logger.Metadata.Value, into writer: inout JSONWriter) {
        switch value {
        case .string(let text): writer.string(text)
        case .stringConvertible(let convertible): writer.string(convertible.description)
        case .dictionary(let dictionary): write(dictionary, into: &writer)
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

private func writeToStandardError(_ bytes: [UInt8]) {
    var written = 0
    while written < bytes.count {
        let count = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress! + written, $0.count - written) }
        guard count > 0 || errno == EINTR else { return }
        written += max(count, 0)
    }
}

/// How log lines are written: `text` for people, `json` for log shippers.
enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json

    /// Installs the format as the process's logging backend, every line carrying the request id it was written for.
    func bootstrap() {
        LoggingSystem.bootstrap({ label, provider in
            switch self {
            case .text: StreamLogHandler.standardError(label: label, metadataProvider: provider)
            case .json: JSONLogHandler(label: label, metadataProvider: provider)
            }
        }, metadataProvider: .requestID)
    }
}
