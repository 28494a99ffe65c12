import Hummingbird
import TripCore

enum AuthScheme: Sendable { case basic, bearer }

/// Requires an `Authorization` header of one of `schemes` and puts the caller in the context.
struct AuthMiddleware<Store: CredentialStore>: RouterMiddleware {
    let verifier: CredentialVerifier<Store>
    var schemes: Set<AuthScheme> = [.basic, .bearer]

    func handle(
        _ request: Request, context: TripRequestContext,
        next: (Request, TripRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.identity = try await identity(request.headers[.authorization], from: context.clientAddress)
        return try await next(request, context)
    }

    private func identity(_ header: String?, from address: String) async throws -> Identity {
        switch header.flatMap(AuthorizationHeader.init) {
        case .basic(let username, let password)? where schemes.contains(.basic):
            guard let account = try await verifier.account(username: username, password: password, from: address)
            else { throw Problem.unauthorized(offering: schemes) }
            return Identity(user: account.user, proof: .password(hash: account.passwordHash))
        case .bearer(let token)? where schemes.contains(.bearer):
            guard let identity = try await verifier.identity(token: token)
            else { throw Problem.unauthorized(offering: schemes) }
            return identity
        default:
            throw Problem.unauthorized(offering: schemes)
        }
    }
}

extension Problem {
    /// A 401 whose challenge offers only the schemes the route accepts.
    static func unauthorized(offering schemes: Set<AuthScheme>) -> Problem {
        guard schemes.count == 1 else { return .unauthorized }
        return schemes.contains(.basic)
            ? Problem(.unauthorized, "Valid HTTP Basic credentials are required.", headers: [.wwwAuthenticate: #"Basic realm="trip-planner""#])
            : Problem(.unauthorized, "A valid Bearer token is required.", headers: [.wwwAuthenticate: #"Bearer realm="trip-planner""#])
    }
}
