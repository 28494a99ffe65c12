import Foundation
import Testing

/// A real server on each store gets a few thousand requests on every route and verb of its own OpenAPI document, CORS
/// preflights among them, with random and hostile values in every header it reads. Each answer must be a well-formed
/// response below 500, and the server must still answer `/health` at the end. Seeded: the seed is printed, and `HEADER_FUZZ_SEED` replays a run.
@Suite(.serialized) struct HeaderFuzzTests {
    static let requests = 2_000
    static let duration = Duration.seconds(120)

    @Test(.timeLimit(.minutes(5)), arguments: Backend.shareable)
    func hostileHeadersOnEveryRouteAnswerBelow500(backend: Backend) async throws {
        let database = try ServerProcess.database(for: backend)
        defer { ServerProcess.removeFiles(of: database) }
        let server = try await ServerProcess(database: database, arguments: [
            "--trusted-proxies", "127.0.0.1, ::1, 10.0.0.0/8", "--cors-origins", "https://app.example.com",
        ])
        let seed = ProcessInfo.processInfo.environment["HEADER_FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        print("header fuzz on \(backend): seed \(seed) (HEADER_FUZZ_SEED=\(seed) replays it)")
        var values = HostileRequests(seed: seed, target: try await Target(server))
        let clock = ContinuousClock()
        let deadline = clock.now + Self.duration
        var sent = 0
        while sent < Self.requests, clock.now < deadline {
            let request = values.next()
            let response: RawHTTP.Response
            do {
                // A live stream that opens never ends: its head is the answer.
                let streams = request.headers["Accept"]?.lowercased().contains("event-stream") == true
                response = try await (streams ? RawHTTP.head : RawHTTP.request)(
                    request.method, server.port, request.path, request.headers, request.body, "127.0.0.1")
            } catch {
                Issue.record("no well-formed answer to \(request) (seed \(seed)): \(error)")
                break
            }
            sent += 1
            guard (100..<500).contains(response.status) else {
                Issue.record("\(response.status) for \(request) (seed \(seed)): \(response.body.prefix(300))")
                break
            }
        }
        #expect(sent >= 500, "only \(sent) requests in \(Self.duration)")
        #expect(try await server.request("GET", "/health").status == 200)
    }
}

/// What the requests aim at: every operation the server documents, and an account, token, trip and share that exist.
private struct Target {
    let operations: [(method: String, path: String)]
    let basic: String
    let bearer: String
    let tripID: String
    let shareID: String
    let shareToken: String

    init(_ server: ServerProcess) async throws {
        let document = try #require(try JSONSerialization.jsonObject(with: try await server.request("GET", "/openapi.json").body) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        operations = paths.sorted { $0.key < $1.key }.flatMap { path, item in
            item.keys.filter { ["get", "put", "post", "patch", "delete"].contains($0) }.sorted().map { ($0.uppercased(), path) }
        }
        #expect(try await server.request("POST", "/users", body: #"{"username":"fuzzed","password":"fuzzed-password"}"#).status == 201)
        basic = "Basic " + Data("fuzzed:fuzzed-password".utf8).base64EncodedString()
        bearer = "Bearer " + (try #require(try await server.request("POST", "/tokens", headers: ["Authorization": basic]).body.jsonObject["token"] as? String))
        tripID = try #require(
            try await server.request("POST", "/trips", headers: ["Authorization": bearer], body: #"{"name":"Fuzzed","waypoints":[]}"#)
                .body.jsonObject["id"] as? String)
        let share = try await server.request("POST", "/trips/\(tripID)/shares", headers: ["Authorization": bearer]).body.jsonObject
        shareID = try #require(share["id"] as? String)
        shareToken = try #require((share["url"] as? String)?.split(separator: "/").last.map(String.init))
    }
}

/// One request to send, described well enough to send again.
private struct HostileRequest: CustomStringConvertible {
    let method: String
    let path: String
    let headers: [String: String]
    let body: String?

    var description: String { "\(method) \(path) \(headers.sorted { $0.key < $1.key }) body \(body.map { String($0.prefix(80)) } ?? "none")" }
}

/// Requests drawn from a seeded generator: each header the server reads, present or not, honest or hostile.
private struct HostileRequests {
    private var random: SplitMix64
    private let target: Target

    init(seed: UInt64, target: Target) {
        random = SplitMix64(seed: seed)
        self.target = target
    }

    mutating func next() -> HostileRequest {
        let operation = target.operations[Int(random.next() % UInt64(target.operations.count))]
        var path = operation.path
            .replacingOccurrences(of: "{id}", with: pick([target.tripID, target.tripID, "0123456789abcdef01234567", "x", "%00", "..%2f"]))
            .replacingOccurrences(of: "{shareID}", with: pick([target.shareID, "ffffffffffffffffffffffff", "-1"]))
            .replacingOccurrences(of: "{invitationID}", with: pick(["ffffffffffffffffffffffff", "-1", "%00"]))
            .replacingOccurrences(of: "{username}", with: pick(["fuzzed", "FUZZED", "nobody", "%00", "..", String(repeating: "u", count: 300)]))
            .replacingOccurrences(of: "{token}", with: pick([target.shareToken, target.shareToken, "never-issued", String(repeating: "A", count: 43), "%e2%80%ae"]))
        if chance(3) { path += "?" + pick(["format=gpx", "format=html", "format=;", "limit=+5", "limit=0", "limit=99999999999999999999", "since=AAAAAAAAAAEAAAAAAAAAKg", "since=%FF", "after=x"]) }
        var headers: [String: String] = [:]
        // Deleting the account, its token or its trip, or changing its password, would leave the rest of the run with
        // nothing to reach; those go with credentials that do not hold.
        let destructive = operation.method == "DELETE" || operation.path == "/users/password"
        if chance(2) { headers["Authorization"] = destructive ? hostile(Self.authorizations) : pick([target.bearer, target.basic] + Self.authorizations) }
        for (name, honest) in Self.headers where chance(3) { headers[name] = hostile(honest) }
        let body = ["POST", "PUT", "PATCH"].contains(operation.method) && chance(4, of: 5) ? pick(Self.bodies) : nil
        let method = headers["Access-Control-Request-Method"] != nil && chance(2) ? "OPTIONS" : operation.method
        return HostileRequest(method: method, path: path, headers: headers, body: body)
    }

    /// An honest value, a hostile one, or random visible bytes, which may be UTF-8 past ASCII.
    private mutating func hostile(_ honest: [String]) -> String {
        switch random.next() % 4 {
        case 0: return pick(honest)
        case 1: return pick(Self.hostileValues)
        case 2: return pick(honest) + pick(Self.hostileValues) + pick(honest)
        default:
            let scalars = (0..<Int(random.next() % 64)).map { _ in
                chance(8) ? pick(["\u{0600}", "\u{0301}", "é", "\u{202E}", "😀", "\u{FEFF}"]) : String(UnicodeScalar(UInt8(32 + random.next() % 95)))
            }
            return scalars.joined()
        }
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }

    private mutating func chance(_ numerator: UInt64, of denominator: UInt64 = 5) -> Bool { random.next() % denominator < numerator }

    private static let authorizations = [
        "Basic ", "Basic ===", "Basic Zm9v", "Basic OnBhc3N3b3Jk", "Basic " + Data("fuzzed:wrong".utf8).base64EncodedString(),
        "Basic " + Data("a:\u{0301}b".utf8).base64EncodedString(), "Bearer", "Bearer ", "bearer x", "Negotiate abc", " ", "Basic",
    ]

    private static let headers: [(String, [String])] = [
        ("Accept", [
            "application/json", "text/html", "application/gpx+xml;q=0.5, */*;q=0.1", ";", ";;", ",", "*/*;q=2", "a/b;q=nan",
            "text/event-stream", "TEXT/Event-Stream;q=0.5, */*", "text/event-stream;q=0",
        ]),
        ("Last-Event-ID", ["RA-jFwTHi_MAAAAAAAAAAQ", "AAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAA=", "", "0", "-1", "//////////////////////"]),
        ("If-Match", ["\"1\"", "\"01\"", "*", "W/\"1\"", "\"1\", \"2\"", "\"", "%22", "\"+1\""]),
        ("If-None-Match", ["\"1\"", "*", "W/\"2\"", "\"", ",", "%zz"]),
        ("Content-Type", ["application/json", "application/merge-patch+json", "application/json-patch+json", "application/gpx+xml", ";", "text/plain; charset=utf-8"]),
        ("Content-Encoding", ["identity", "gzip", "", ",", "identity, br"]),
        ("X-Forwarded-For", ["203.0.113.9", "10.0.0.5, 127.0.0.1", "::1", "1.1.1.1, 2.2.2.2, ::ffff:1.2.3.4", "not-an-address", ",,,"]),
        ("X-Request-Id", ["abc-123", "", String(repeating: "r", count: 300), "<script>"]),
        ("Expect", ["100-continue", "200-ok", ""]),
        ("Origin", ["https://app.example.com", "https://APP.example.com", "https://evil.example", "null", "*", ""]),
        ("Access-Control-Request-Method", ["POST", "PATCH", "get", "CONNECT", ""]),
        ("Access-Control-Request-Headers", ["authorization,content-type", "last-event-id", "x-anything", ""]),
    ]

    private static let hostileValues = [
        ";", ";;", ",", "\"", "\\", "%", "%00", "=", "/", "*", "W/", " ", "\t", "q=", "\u{0600};", "\u{0301}", "\u{FFFD}", "99999999999999999999999",
        "-1", "0", "NaN", "Infinity", "1e309", String(repeating: ",", count: 500), String(repeating: "a/b;", count: 300),
    ]

    private static let bodies = [
        #"{"name":"Renamed","waypoints":[{"name":"A","latitude":1,"longitude":2}]}"#, #"{"name":null}"#,
        #"[{"op":"replace","path":"/name","value":"x"}]"#, #"[{"op":"copy","from":"/waypoints","path":"/waypoints/-"}]"#,
        #"[{"op":"add","path":"/waypoints/-","value":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}]"#, "[]",
        #"{"username":"other","password":"other-password"}"#, #"{"password":"new-password","currentPassword":"x"}"#,
        #"{"expiresInDays":7}"#, "{", "", "null", String(repeating: "[", count: 40), "\u{FEFF}{}",
        #"<?xml version="1.0"?><gpx><wpt lat="1" lon="2"/></gpx>"#, #"<!DOCTYPE x [<!ENTITY a "b">]><gpx/>"#,
    ]
}
