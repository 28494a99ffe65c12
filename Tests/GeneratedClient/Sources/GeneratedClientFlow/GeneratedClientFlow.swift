import Foundation
import HTTPTypes
import OpenAPIRuntime
import OpenAPIURLSession

/// Runs an app's flow against the server at the URL given as the only argument, through the client
/// that swift-openapi-generator made from the server's own `/openapi.json`; exits non-zero at the first
/// step that does not go as the document says.
///
/// FoundationNetworking on Linux never completes a 401 that offers a `Basic` challenge
/// (swift-corelibs-foundation #5456), so no step here reads one.
@main
struct GeneratedClientFlow {
    static func main() async {
        guard CommandLine.arguments.count == 2, let serverURL = URL(string: CommandLine.arguments[1]) else {
            fail("usage: GeneratedClientFlow http://HOST:PORT")
        }
        do {
            try await Flow(serverURL: serverURL).run()
            print("generated client: \(Flow.steps.count) passed, 0 failed")
        } catch {
            fail("\(error)")
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("generated client: \(message)\n".utf8))
        exit(1)
    }
}

struct FlowError: Error, CustomStringConvertible {
    let description: String
}

struct Flow {
    static let steps = [
        "sign up", "token", "create", "get", "page through the list", "conditional replace", "stale replace is 412",
        "another user's trip is 404 with a problem", "delete",
    ]

    let serverURL: URL

    func client(_ authorization: String? = nil) -> Client {
        Client(
            serverURL: serverURL, transport: URLSessionTransport(),
            middlewares: authorization.map { [AuthorizationHeader(value: $0)] } ?? [])
    }

    func run() async throws {
        let alice = try await signUpWithToken("alice")
        let bob = try await signUpWithToken("bob")

        var created: [Components.Schemas.Trip] = []
        for name in ["Lisbon", "Porto", "Faro"] {
            let waypoint = Components.Schemas.Waypoint(name: name, latitude: 38.72, longitude: -9.14)
            let response = try await alice.createTrip(body: .json(.init(name: name, waypoints: [waypoint]))).created
            try expect(response.headers.eTag == "\"1\"", "create: ETag \(String(describing: response.headers.eTag))")
            created.append(try response.body.json)
        }
        let first = created[0]
        try expect(abs(first.createdAt.timeIntervalSinceNow) < 600, "create: createdAt \(first.createdAt) was not decoded as now")

        let read = try await alice.getTrip(path: .init(id: first.id)).ok
        try expect(try read.body.json.name == "Lisbon", "get: another trip")
        let etag = try unwrap(read.headers.eTag, "get: no ETag")

        var listed: [String] = []
        var after: String?
        for _ in 0..<3 {
            let page = try await alice.listTrips(query: .init(limit: 2, after: after)).ok
            listed += try page.body.json.map(\.id)
            guard let link = page.headers.link else { break }
            after = try unwrap(Self.nextAfter(link), "list: Link without after: \(link)")
        }
        try expect(listed == created.map(\.id).sorted(), "list: pages gave \(listed)")

        let replaced = try await alice.replaceTrip(
            path: .init(id: first.id), headers: .init(ifMatch: etag), body: .json(.init(name: "Lisboa"))
        ).ok
        try expect(replaced.headers.eTag == "\"2\"", "replace: ETag \(String(describing: replaced.headers.eTag))")
        try expect(try replaced.body.json.version == 2, "replace: version")

        let stale = try await alice.replaceTrip(
            path: .init(id: first.id), headers: .init(ifMatch: etag), body: .json(.init(name: "Stale"))
        ).preconditionFailed
        try expect(try stale.body.applicationProblemJson.status == 412, "stale replace: problem status")

        let hidden = try await bob.getTrip(path: .init(id: first.id)).notFound
        let problem = try hidden.body.applicationProblemJson
        try expect(problem.status == 404 && problem.title == "Not Found", "another user's trip: \(problem)")

        let invitation = try await alice.createInvitation(path: .init(id: created[1].id), body: .json(.init(role: .editor))).created.body.json
        let token = try unwrap(invitation.url?.split(separator: "/").last.map(String.init), "invite: no url")
        let joined = try await bob.joinTrip(path: .init(token: token)).ok.body.json
        try expect(joined.role == .editor && joined.owner?.hasPrefix("alice") == true, "join: \(joined)")
        let members = try await bob.listMembers(path: .init(id: created[1].id)).ok.body.json
        try expect(members.map(\.role) == [.owner, .editor], "members: \(members)")
        let demoted = try await alice.setMemberRole(
            path: .init(id: created[1].id, username: members[1].username), body: .json(.init(role: .viewer))).ok.body.json
        try expect(demoted.role == .viewer, "set role: \(demoted)")
        _ = try await bob.replaceTrip(path: .init(id: created[1].id), body: .json(.init(name: "Viewer's"))).forbidden
        _ = try await bob.removeMember(path: .init(id: created[1].id, username: members[1].username)).noContent
        _ = try await bob.getTrip(path: .init(id: created[1].id)).notFound

        _ = try await alice.deleteTrip(path: .init(id: first.id)).noContent
        _ = try await alice.getTrip(path: .init(id: first.id)).notFound
    }

    /// Signs up a fresh user and returns a client holding a bearer token for them.
    private func signUpWithToken(_ name: String) async throws -> Client {
        let username = "\(name)-\(UUID().uuidString.prefix(8))"
        let password = "generated-client-password"
        let user = try await client().signUp(body: .json(.init(username: username, password: password))).created.body.json
        try expect(user.username == username, "sign up: \(user)")
        let basic = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        let token = try await client(basic).issueToken().created.body.json
        try expect(token.expiresAt > .now, "token: expiresAt \(token.expiresAt)")
        return client("Bearer \(token.token)")
    }

    /// The `after` of a `Link: </trips?limit=N&after=ID>; rel="next"` header.
    static func nextAfter(_ link: String) -> String? {
        guard let start = link.firstIndex(of: "<"), let end = link.firstIndex(of: ">"), start < end else { return nil }
        let target = URLComponents(string: String(link[link.index(after: start)..<end]))
        return target?.queryItems?.first { $0.name == "after" }?.value
    }

    private func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw FlowError(description: message()) }
    }

    private func unwrap<T>(_ value: T?, _ message: String) throws -> T {
        guard let value else { throw FlowError(description: message) }
        return value
    }
}

/// Sends one `Authorization` value with every request, as an app's client does.
struct AuthorizationHeader: ClientMiddleware {
    let value: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = value
        return try await next(request, body, baseURL)
    }
}
