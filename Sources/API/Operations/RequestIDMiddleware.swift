import HTTPTypes
import Hummingbird
import Logging

/// Names each request: by the client's own `X-Request-Id` when it is sane, otherwise afresh. The response carries
/// the id, so does a problem document, and so does every log line written while serving the request.
struct RequestIDMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: TripRequestContext,
        next: (Request, TripRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let id = request.headers[.xRequestID].flatMap { Self.isSane($0) ? $0 : nil } ?? Self.fresh()
        context.requestID = id
        context.logger[metadataKey: "request_id"] = .string(id)
        var response = try await Self.$current.withValue(id) { try await next(request, context) }
        response.headers[.xRequestID] = id
        return response
    }

    /// The id of the request this task serves, for loggers other than the request's own, such as a store's.
    @TaskLocal static var current: String?

    /// `Limits.requestIDLength` of `A-Z a-z 0-9 . _ -`, which no log or header can be confused by.
    static func isSane(_ id: String) -> Bool {
        Limits.requestIDLength.contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }

    /// 96 random bits in base64url, from two draws of the system's generator rather than one a byte.
    static func fresh() -> String {
        var generator = SystemRandomNumberGenerator()
        let (high, low): (UInt64, UInt64) = (generator.next(), generator.next())
        return Base64URL.encode(withUnsafeBytes(of: (high, low)) { Array($0.prefix(12)) })
    }
}

extension Logger.MetadataProvider {
    /// Adds `request_id` to lines that any logger writes while a request is served, as `LoggingSystem.bootstrap` takes.
    public static let requestID = Logger.MetadataProvider {
        RequestIDMiddleware.current.map { ["request_id": .string($0)] } ?? [:]
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-Id")!
}
