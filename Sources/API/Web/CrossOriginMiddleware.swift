import HTTPTypes
import Hummingbird

/// Lets pages of the allowed origins call the API from a browser, as the Fetch standard's CORS protocol has it, without
/// credentials mode: clients send `Authorization` themselves, and no cookie is read. A preflight is answered here, before
/// routing could refuse `OPTIONS`; every other response names the origin and exposes the headers a client reads. A
/// request without `Origin`, one from an origin not allowed, and shared trips (`/s/…`) are served as if this were not
/// here, so a preflight of theirs is answered as any `OPTIONS` is, and the browser refuses.
struct CrossOriginMiddleware: RouterMiddleware {
    let allowed: AllowedOrigins

    func handle(
        _ request: Request, context: TripRequestContext,
        next: (Request, TripRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let origin = request.headers[.origin], allowed.contains(origin), LinkPath(of: request.uri.path) != .share else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            return Self.preflight(from: origin)
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        Self.vary(&response.headers, on: ["Origin"])
        return response
    }

    /// The same answer whatever is asked: a browser refuses a method or header that it does not list.
    private static func preflight(from origin: String) -> Response {
        var headers: HTTPFields = [
            .accessControlAllowOrigin: origin,
            .accessControlAllowMethods: "GET, HEAD, POST, PUT, PATCH, DELETE",
            .accessControlAllowHeaders: allowedHeaders,
            .accessControlMaxAge: String(maxAgeSeconds),
        ]
        vary(&headers, on: ["Origin", "Access-Control-Request-Method"])
        return Response(status: .noContent, headers: headers)
    }

    /// How long a browser may reuse a preflight's answer.
    static let maxAgeSeconds = 600

    static let allowedHeaders = "Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, Last-Event-ID, X-Request-Id"

    static let exposedHeaders = "ETag, Location, Link, Retry-After, X-Request-Id"

    /// Adds `names` to `Vary`, keeping the names a route put there; `*` already covers them.
    static func vary(_ headers: inout HTTPFields, on names: [String]) {
        let present = headers[values: .vary].flatMap { $0.split(separator: ",") }.map { String($0.trimmingHTTPWhitespace) }
        guard !present.contains("*") else { return }
        let added = names.filter { name in !present.contains { $0.lowercased() == name.lowercased() } }
        guard !added.isEmpty else { return }
        headers[.vary] = (present.filter { !$0.isEmpty } + added).joined(separator: ", ")
    }
}
