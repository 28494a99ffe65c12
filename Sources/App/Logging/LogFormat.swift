import API
import ArgumentParser
import Logging

/// How log lines are written: `text` for people, `json` for log shippers.
enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json

    /// Installs the format as the process's logging backend, writing to `output`, every line carrying the request id
    /// it was written for.
    func bootstrap(to output: LogOutput) {
        LoggingSystem.bootstrap({ label, provider in
            LogLineHandler(label: label, format: self, output: output, metadataProvider: provider)
        }, metadataProvider: .requestID)
    }
}

/// One metadata entry of a log line.
struct LogField {
    let key: String
    let value: Logger.Metadata.Value

    /// The handler's metadata, then the provider's, then the call's, each winning over the ones before, in key order.
    static func merging(_ handler: Logger.Metadata, _ provided: Logger.Metadata?, _ explicit: Logger.Metadata?) -> [LogField] {
        var fields: [LogField] = []
        fields.reserveCapacity(handler.count + (provided?.count ?? 0) + (explicit?.count ?? 0))
        func add(_ metadata: Logger.Metadata) {
            for (key, value) in metadata {
                if let index = fields.firstIndex(where: { $0.key == key }) {
                    fields[index] = LogField(key: key, value: value)
                } else {
                    fields.append(LogField(key: key, value: value))
                }
            }
        }
        add(handler)
        if let provided { add(provided) }
        if let explicit { add(explicit) }
        fields.sort { $0.key < $1.key }
        return fields
    }
}
