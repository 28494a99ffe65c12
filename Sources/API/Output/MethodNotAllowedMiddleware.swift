import Hummingbird

/// Turns the router's 404 into 405 with `Allow` when the path is a documented one and only the method is not.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    private let templates: [(segments: [Substring], allow: String)]

    /// `operations` maps OpenAPI path templates such as `/trips/{id}` to their methods.
    init(operations: [String: [HTTPRequest.Method]]) {
        templates = operations.map { path, methods in
            let allowed = methods + (methods.contains(.get) ? [.head] : [])
            return (path.split(separator: "/"), allowed.map(\.rawValue).joined(separator: ", "))
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let segments = request.uri.path.split(separator: "/")
            guard let template = templates.first(where: { Self.matches($0.segments, segments) }) else { throw error }
            throw Problem(
                .methodNotAllowed, "\(request.method) is not allowed here.", headers: [.allow: template.allow])
        }
    }

    private static func matches(_ template: [Substring], _ path: [Substring]) -> Bool {
        template.count == path.count && zip(template, path).allSatisfy { $0.first == "{" || $0 == $1 }
    }
}
