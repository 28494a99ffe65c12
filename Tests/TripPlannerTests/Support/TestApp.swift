import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TripCore

/// Runs `body` against a server on a fresh store of `backend`, through the router or over a real socket; server and
/// store read the settings' clock.
func withApp<T: Sendable>(
    _ backend: Backend, _ setup: TestingSetup = .router, settings: ServerSettings = .testing,
    _ body: @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    try await backend.withStore(clock: settings.clock) { store in
        let app = buildApplication(settings, store: store, logger: .quiet)
        return try await app.test(setup, body)
    }
}

/// Like `withApp` through the router, with the password hasher at hand, to count its bcrypt runs.
func withAppAndHasher<T: Sendable>(
    _ backend: Backend, _ body: @Sendable (any TestClientProtocol, PasswordHasher) async throws -> T
) async throws -> T {
    try await backend.withStore { store in
        let hasher = PasswordHasher(cost: 4)
        let app = Application(router: buildRouter(store: store, hasher: hasher), services: [hasher], logger: .quiet)
        return try await app.test(.router) { client in try await body(client, hasher) }
    }
}

extension ServerSettings {
    /// Port 0 and bcrypt cost 4; requests through a `.live` client come from 127.0.0.1, trusted as a
    /// proxy so that a test can stand for many clients with `X-Forwarded-For`.
    static let testing = ServerSettings(port: 0, bcryptCost: 4, trustedProxies: TrustedProxies("127.0.0.1")!)
}

extension Logger {
    static var quiet: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return logger
    }
}

/// A client's address, as a trusted proxy forwards it.
func from(_ address: String) -> HTTPFields {
    [.init("X-Forwarded-For")!: address]
}

func basic(_ username: String, _ password: String) -> HTTPFields {
    [.authorization: "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()]
}

func bearer(_ token: String) -> HTTPFields {
    [.authorization: "Bearer \(token)"]
}

func json(_ text: String) -> ByteBuffer {
    ByteBuffer(string: text)
}

extension TestResponse {
    /// The body parsed as a JSON object, or an empty one.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    var array: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [[String: Any]] ?? []
    }
}

extension TestClientProtocol {
    /// A request whose body is labelled `application/json`, as the server requires of every body.
    func executeJSON(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer
    ) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await execute(uri: uri, method: method, headers: headers, body: body)
    }

    /// Signs up `username` with password `password1` and returns the Basic header for them.
    @discardableResult
    func signUp(_ username: String, password: String = "password1") async throws -> HTTPFields {
        let response = try await executeJSON(
            uri: "/users", method: .post, body: json(#"{"username":"\#(username)","password":"\#(password)"}"#))
        #expect(response.status == .created)
        return basic(username, password)
    }

    /// Creates a trip and returns its JSON.
    func createTrip(_ auth: HTTPFields, _ body: String = #"{"name":"Trip","waypoints":[]}"#) async throws -> [String: Any] {
        try await createTripResponse(auth, body).object
    }

    func createTripResponse(_ auth: HTTPFields, _ body: String = #"{"name":"Trip","waypoints":[]}"#) async throws -> TestResponse {
        let response = try await executeJSON(uri: "/trips", method: .post, headers: auth, body: json(body))
        #expect(response.status == .created)
        return response
    }

    func token(_ auth: HTTPFields) async throws -> String {
        let response = try await execute(uri: "/tokens", method: .post, headers: auth)
        #expect(response.status == .created)
        return try #require(response.object["token"] as? String)
    }
}

/// Checks that a response is a problem document with `status`.
func expectProblem(_ response: TestResponse, _ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == status, sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
    #expect(response.object["status"] as? Int == status.code, sourceLocation: sourceLocation)
    #expect(response.object["title"] as? String == status.reasonPhrase, sourceLocation: sourceLocation)
    #expect((response.object["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
}
