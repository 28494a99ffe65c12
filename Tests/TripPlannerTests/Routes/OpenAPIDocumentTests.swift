import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The served OpenAPI document stays true: it names exactly the router's routes, states the limits the
/// server enforces, and every documented operation answers with one of its documented statuses.
@Suite struct OpenAPIDocumentTests {
    @Test func documentsEveryRouteAndRoutesEveryDocumentedOperation() async throws {
        let hasher = PasswordHasher(cost: 4, threads: 1)
        let routed = try await Backend.sqliteMemory.withStore { store in
            let router = buildRouter(store: store, hasher: hasher)
            return Set(router.routes.filter { $0.method != .head }.map { "\($0.method) \($0.path)" })
        }
        try await hasher.close()
        let documented = Set(OpenAPIDocument.operations.flatMap { path, methods in methods.map { "\($0) \(path)" } })
        #expect(routed.subtracting(documented).isEmpty, "routes missing from openapi.json")
        #expect(documented.subtracting(routed).isEmpty, "documented operations with no route")
        #expect(routed.count == 27)
    }

    @Test func statesEveryLimitTheServerEnforces() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json)) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        func schema(_ path: String...) throws -> [String: Any] {
            var node: Any? = schemas
            for key in path {
                node = (node as? [String: Any])?[key]
                if let reference = (node as? [String: Any])?["$ref"] as? String {
                    node = schemas[String(try #require(reference.split(separator: "/").last))]
                }
            }
            return try #require(node as? [String: Any], "no schema at \(path)")
        }
        func lengths(_ node: [String: Any]) -> ClosedRange<Int>? {
            guard let low = node["minLength"] as? Int, let high = node["maxLength"] as? Int else { return nil }
            return low...high
        }
        func range(_ node: [String: Any]) -> ClosedRange<Double>? {
            guard let low = node["minimum"] as? Double, let high = node["maximum"] as? Double else { return nil }
            return low...high
        }
        #expect(lengths(try schema("SignUp", "properties", "username")) == Limits.usernameLength)
        #expect(lengths(try schema("SignUp", "properties", "password")) == Limits.passwordBytes)
        #expect(lengths(try schema("TripInput", "properties", "name")) == Limits.tripNameLength)
        #expect(lengths(try schema("Waypoint", "properties", "name")) == Limits.waypointNameLength)
        #expect(range(try schema("Waypoint", "properties", "latitude")) == Limits.latitude)
        #expect(range(try schema("Waypoint", "properties", "longitude")) == Limits.longitude)
        #expect(try schema("TripInput", "properties", "waypoints")["maxItems"] as? Int == Limits.waypointsPerTrip)
        let shareDays = try schema("ShareInput", "properties", "expiresInDays")
        #expect(shareDays["minimum"] as? Int == Limits.shareDays.lowerBound)
        #expect(shareDays["maximum"] as? Int == Limits.shareDays.upperBound)
        let shares = (((document["paths"] as? [String: Any])?["/trips/{id}/shares"] as? [String: Any])?["get"] as? [String: Any])
            .flatMap { ($0["responses"] as? [String: Any])?["200"] as? [String: Any] }
            .flatMap { (($0["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any] }
        #expect(shares?["maxItems"] as? Int == Limits.sharesPerTrip)
        let invitationDays = try schema("InvitationInput", "properties", "expiresInDays")
        #expect(invitationDays["minimum"] as? Int == Limits.invitationDays.lowerBound)
        #expect(invitationDays["maximum"] as? Int == Limits.invitationDays.upperBound)
        #expect(invitationDays["default"] as? Int == Limits.invitationDaysDefault)
        func listed(_ path: String) -> [String: Any]? {
            (((document["paths"] as? [String: Any])?[path] as? [String: Any])?["get"] as? [String: Any])
                .flatMap { ($0["responses"] as? [String: Any])?["200"] as? [String: Any] }
                .flatMap { (($0["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any] }
        }
        #expect(listed("/trips/{id}/invitations")?["maxItems"] as? Int == Limits.invitationsPerTrip)
        #expect(listed("/trips/{id}/members")?["maxItems"] as? Int == Limits.membersPerTrip + 1)

        func limitParameter(of path: String) throws -> [String: Any] {
            let operation = ((document["paths"] as? [String: Any])?[path] as? [String: Any])?["get"] as? [String: Any]
            let parameters = try #require(operation?["parameters"] as? [[String: Any]])
            return try #require(parameters.first { $0["name"] as? String == "limit" }?["schema"] as? [String: Any])
        }
        let limit = try limitParameter(of: "/trips")
        #expect(limit["minimum"] as? Int == Limits.pageSize.lowerBound)
        #expect(limit["maximum"] as? Int == Limits.pageSize.upperBound)
        #expect(limit["default"] as? Int == Limits.pageSize.upperBound)
        let changeLimit = try limitParameter(of: "/changes")
        #expect(changeLimit["minimum"] as? Int == Limits.changePageSize.lowerBound)
        #expect(changeLimit["maximum"] as? Int == Limits.changePageSize.upperBound)
        #expect(changeLimit["default"] as? Int == Limits.changePageDefault)
    }

    @Test func servesTheResourceAsItIs() async throws {
        try await withApp(.sqliteMemory) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(Data(buffer: response.body) == Data(OpenAPIDocument.json))
        }
    }

    @Test func everyDocumentedOperationAnswersAsDocumented() async throws {
        try await withApp(.sqliteMemory) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            let document = response.object
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])

            let auth = try await client.signUp("alice")
            let tripID = try #require(try await client.createTrip(auth)["id"] as? String)
            let token = try await client.token(auth)
            let share = try await client.executeJSON(uri: "/trips/\(tripID)/shares", method: .post, headers: auth, body: json("{}")).object
            let shareID = try #require(share["id"] as? String)
            let shareToken = try #require((share["url"] as? String)?.split(separator: "/").last.map(String.init))
            func invitation() async throws -> (id: String, token: String) {
                let body = try await client.executeJSON(
                    uri: "/trips/\(tripID)/invitations", method: .post, headers: auth, body: json(#"{"role":"viewer"}"#)).object
                let token = try #require((body["url"] as? String)?.split(separator: "/").last.map(String.init))
                return (try #require(body["id"] as? String), token)
            }
            let pending = try await invitation()
            let joining = try await invitation()
            let carol = try await client.signUp("carol")
            let bodies = ["/users": #"{"username":"bob","password":"password1"}"#, "/trips": #"{"name":"x"}"#,
                          "/trips/{id}": #"{"name":"y"}"#, "/trips/{id}/shares": #"{"expiresInDays":7}"#,
                          "/trips/{id}/invitations": #"{"role":"editor","expiresInDays":2}"#,
                          "/trips/{id}/members/{username}": #"{"role":"editor"}"#,
                          "/users/password": #"{"currentPassword":"password1","newPassword":"password1"}"#]
            let verbs = ["get", "post", "put", "patch", "delete"]
            var operations: [(String, String)] = []
            for (path, item) in paths {
                for verb in item.keys where verbs.contains(verb) { operations.append((path, verb)) }
            }
            operations.sort { Self.runOrder($0) < Self.runOrder($1) }
            #expect(operations.count == 27)

            for (path, verb) in operations {
                let operation = try #require(paths[path]?[verb] as? [String: Any])
                let documented = Set((operation["responses"] as? [String: Any] ?? [:]).keys)
                let headers = path == "/tokens/current" ? bearer(token) : path == "/join/{token}" ? carol : auth
                let answer = try await client.execute(
                    uri: path.replacingOccurrences(of: "{id}", with: tripID).replacingOccurrences(of: "{shareID}", with: shareID)
                        .replacingOccurrences(of: "{token}", with: path == "/join/{token}" ? joining.token : shareToken)
                        .replacingOccurrences(of: "{invitationID}", with: pending.id).replacingOccurrences(of: "{username}", with: "carol"),
                    method: .init(verb.uppercased())!,
                    headers: headers + [.contentType: verb == "patch" ? "application/merge-patch+json" : "application/json"],
                    body: bodies[path].map(json))
                #expect((200..<300).contains(answer.status.code), "\(verb) \(path) answered \(answer.status)")
                #expect(documented.contains(String(answer.status.code)), "\(verb) \(path) answered \(answer.status)")
            }
        }
    }

    /// Deletions last, but a share's before its trip's, and after the shared page; joining before the member routes, a trip's after its
    /// invitations' and members'; the password change, which revokes every token, after the token's revocation; the
    /// account's deletion after every other.
    private static func runOrder(_ operation: (path: String, verb: String)) -> String {
        let rank = switch (operation.path, operation.verb) {
        case ("/trips/{id}/shares/{shareID}", "delete"): 0
        case ("/users", "delete"): 3
        case ("/trips/{id}", "delete"): 2
        case ("/users/password", _): 2
        case (_, "delete"): 1
        default: 0
        }
        return "\(rank) \(operation.path) \(operation.verb)"
    }
}
