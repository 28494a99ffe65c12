import Logging

/// Writes each log record as one line in `format` to `output`, with the handler's, the request's and the call's
/// metadata merged.
struct LogLineHandler: LogHandler {
    let label: String
    let format: LogFormat
    let output: LogOutput
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, format: LogFormat, output: LogOutput, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.format = format
        self.output = output
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = LogField.merging(metadata, metadataProvider?.get(), event.metadata)
        switch format {
        case .json: output.append(JSONLogLine.line(event, label: label, fields: fields))
        case .text: output.append(TextLogLine.line(event, label: label, fields: fields))
        }
    }
}
