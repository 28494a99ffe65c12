import HTTPTypes
import Hummingbird

/// Puts the client's address in the context: the peer's, or behind a trusted proxy the one it forwards.
struct ClientAddressMiddleware: RouterMiddleware {
    let proxies: TrustedProxies

    func handle(
        _ request: Request, context: TripRequestContext,
        next: (Request, TripRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.clientAddress = proxies.client(peer: context.clientAddress, forwardedFor: request.headers[values: .xForwardedFor])
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
