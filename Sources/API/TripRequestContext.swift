import Foundation
import Hummingbird
import NIOCore
import JSON
import TripCore

public struct TripRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    /// The client's IP address, for counting failed logins and sign-ups per client: the peer's, or
    /// behind a trusted proxy the one it forwards (`ClientAddressMiddleware`).
    public var clientAddress: String
    /// Names the request in its response, its problem document and its log lines (`RequestIDMiddleware`).
    public var requestID: String?
    /// Completes when the request's connection closes; how a live stream learns that its reader left while it had
    /// nothing to write.
    public let connectionClosed: EventLoopFuture<Void>

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        connectionClosed = source.channel.closeFuture
    }

    public var responseEncoder: JSONEncoder { .api }

    /// The authenticated caller; routes behind `AuthMiddleware` always have one.
    var caller: User {
        get throws {
            guard let identity else { throw Problem.unauthorized }
            return identity.user
        }
    }

    /// The `:id` of a trip route; a malformed id names no trip, so it is a 404 like any other unknown id.
    var tripID: TripID {
        get throws {
            guard let id = parameters.get("id").flatMap(TripID.init) else { throw Problem.tripNotFound }
            return id
        }
    }
}

extension JSONEncoder {
    /// Dates as ISO 8601 to the whole second, spelled as `JSONWriter` spells them.
    static let api: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.iso8601)
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
