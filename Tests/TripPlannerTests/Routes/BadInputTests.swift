import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Hostile or broken requests: each gets its 4xx and stores nothing.
@Suite struct BadInputTests {
    static let bodies: [(String, [UInt8])] = [
        ("malformed JSON", Array(#"{"name":"x""#.utf8)),
        ("trailing comma", Array(#"{"name":"x",}"#.utf8)),
        ("duplicate keys", Array(#"{"name":"x","name":"y"}"#.utf8)),
        ("invalid UTF-8", [0x7B, 0x22, 0x6E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]),
        ("raw NUL byte", Array("{\"name\":\"a\u{0}b\"}".utf8)),
        ("huge number", Array(#"{"name":"x","waypoints":[{"name":"a","latitude":1e999,"longitude":0}]}"#.utf8)),
        ("deep nesting", Array((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8)),
        ("empty body", []),
    ]

    @Test(arguments: bodies)
    func unparsableBodiesAreBadRequests(label: String, body: [UInt8]) async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let response = try await client.executeJSON(uri: "/trips", method: .post, headers: auth, body: ByteBuffer(bytes: body))
            expectProblem(response, .badRequest)
            let signUp = try await client.executeJSON(uri: "/users", method: .post, body: ByteBuffer(bytes: body))
            expectProblem(signUp, .badRequest)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.isEmpty)
        }
    }

    /// An `Accept` item without a media range once made the server trap; one with nothing acceptable is a 406.
    @Test
    func anAcceptWithoutMediaRangesIsNotAcceptable() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let trip = try #require(try await client.createTrip(auth)["id"] as? String)
            for accept in [";", ";;", ",", " ; , ;q=1", "\u{0600};"] {
                expectProblem(try await client.execute(uri: "/s/anything", method: .get, headers: [.accept: accept]), .notAcceptable)
                expectProblem(try await client.execute(uri: "/trips/\(trip)", method: .get, headers: auth + [.accept: accept]), .notAcceptable)
            }
        }
    }

    @Test func escapedNULAndInjectionShapesAreUnprocessable() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            for body in [#"{"name":"a\u0000b"}"#, #"{"name":{"$ne":null}}"#, #"{"name":["x"]}"#, #"{"name":null}"#, #"{"name":true}"#] {
                let response = try await client.executeJSON(uri: "/trips", method: .post, headers: auth, body: json(body))
                expectProblem(response, .unprocessableContent)
            }
            for body in [#"{"username":{"$ne":null},"password":{"$ne":null}}"#, #"{"username":"a\u0000b","password":"password1"}"#] {
                expectProblem(try await client.executeJSON(uri: "/users", method: .post, body: json(body)), .unprocessableContent)
            }
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.isEmpty)
        }
    }

    @Test func tenMegabyteBodyIsTooLarge() async throws {
        try await withApp(.sqliteMemory, .live) { client in
            let auth = try await client.signUp("alice")
            let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: 10 * 1024 * 1024)
            expectProblem(try await client.executeJSON(uri: "/trips", method: .post, headers: auth, body: body), .contentTooLarge)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.isEmpty)
        }
    }

    @Test func hundredKilobyteHeaderIsRefused() async throws {
        try await withApp(.sqliteMemory, .live) { client in
            let auth = try await client.signUp("alice")
            let headers = ["Authorization": try #require(auth[.authorization]), "X-Padding": String(repeating: "a", count: 100 * 1024)]
            let response = try await RawHTTP.request("POST", port: try #require(client.port), "/trips", headers: headers, body: #"{"name":"x"}"#)
            #expect(response.status == 431)
            #expect(Data(response.body.utf8).jsonObject["status"] as? Int == 431)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.isEmpty)
        }
    }

    /// Media ranges with nothing where a type, a subtype or a parameter belongs; once a trap on `Accept: ;`.
    @Test(arguments: [";", ";;", ",;", " ; ", "/", "a/", "/b", "*/*;", ";q=1", "text/html;;q=0", "*/*;q=nan", "\u{0600};"])
    func emptyMediaRangesAreIgnoredOrNotAcceptable(accept: String) async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let created = try await client.createTrip(auth, #"{"name":"x"}"#)
            let uri = "/trips/\(try #require(created["id"] as? String))"
            let read = try await client.execute(uri: uri, method: .get, headers: auth + [.accept: accept])
            #expect([.ok, .notAcceptable].contains(read.status), "Accept: \(accept)")
            let shared = try await client.execute(uri: "/s/anything", method: .get, headers: [.accept: accept])
            #expect([.notFound, .notAcceptable].contains(shared.status), "Accept: \(accept)")
        }
    }
}
