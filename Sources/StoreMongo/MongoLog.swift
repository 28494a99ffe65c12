import CMongoc
import Logging
import Synchronization

/// Routes libmongoc's own log lines into swift-log instead of stderr.
enum MongoLog {
    private static let installed = Mutex(false)

    /// libmongoc has one process-wide handler; the first store's logger receives its lines.
    /// Lines are written with the password of `url` left out.
    static func install(_ logger: Logger, url: String) {
        installed.withLock { installed in
            guard !installed else { return }
            installed = true
            mongoc_init()
            let sink = Unmanaged.passRetained(LoggerBox(logger, url: url)).toOpaque()
            mongoc_log_set_handler({ level, domain, message, sink in
                guard let sink, let message else { return }
                let box = Unmanaged<LoggerBox>.fromOpaque(sink).takeUnretainedValue()
                let logger = box.logger
                let text = MongoURL.redacting(box.url, in: String(cString: message))
                let source = domain.map { String(cString: $0) } ?? "mongoc"
                switch level {
                case MONGOC_LOG_LEVEL_ERROR, MONGOC_LOG_LEVEL_CRITICAL: logger.error("\(text)", source: source)
                case MONGOC_LOG_LEVEL_WARNING where text.hasPrefix("Error in abortTransaction"):
                    // The server ends a transaction itself on a write conflict; the abort that follows finds none.
                    logger.debug("\(text)", source: source)
                case MONGOC_LOG_LEVEL_WARNING: logger.warning("\(text)", source: source)
                case MONGOC_LOG_LEVEL_MESSAGE, MONGOC_LOG_LEVEL_INFO: logger.info("\(text)", source: source)
                default: logger.trace("\(text)", source: source)
                }
            }, sink)
        }
    }

    private final class LoggerBox {
        let logger: Logger
        let url: String
        init(_ logger: Logger, url: String) {
            self.logger = logger
            self.url = url
        }
    }
}
