@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /trips` with a GPX document: its route becomes a trip, validated as any other, and no DTD is ever read.
@Suite struct GPXImportTests {
    private func importing(_ client: some TestClientProtocol, _ auth: HTTPFields, _ gpx: String, _ headers: HTTPFields = [:]) async throws -> TestResponse {
        try await importing(client, auth, bytes: Array(gpx.utf8), headers)
    }

    private func importing(
        _ client: some TestClientProtocol, _ auth: HTTPFields, bytes: [UInt8], _ headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/trips", method: .post, headers: auth + headers + [.contentType: "application/gpx+xml"], body: ByteBuffer(bytes: bytes))
    }

    private func detail(_ response: TestResponse) -> String {
        response.object["detail"] as? String ?? ""
    }

    /// IBM037 (EBCDIC) of `<?xml version="1.0" encoding="IBM037"?><!DOCTYPE gpx [<!ENTITY lol "lol">]>` and a route
    /// named `&lol;`: no ASCII `<!DOCTYPE` in it for a scan of bytes to find.
    private static let ebcdicWithDTD = Array(Data(base64Encoded:
        "TG+nlJNApYWZoomWlX5/8Uvwf0CFlYOWhImVh35/ycLU8PP3f29uTFrE1sPj6NfFQIeXp0C6TFrF1ePJ4+hAk5aTQH+TlpN/brtuTIeXp0ClhZmiiZaVfn/xS/F/"
        + "bkyZo4VuTJWBlIVuUJOWk15MYZWBlIVuTJmjhZejQJOBo35/8X9Ak5aVfn/yf2FuTGGZo4VuTGGHl6du")!)

    private func gpx(_ body: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8"?>"# + gpxElement(body)
    }

    private func gpxElement(_ body: String) -> String {
        #"<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">"# + body + "</gpx>"
    }

    private func names(_ response: TestResponse) -> [String] {
        (response.object["waypoints"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    @Test
    func theFirstRouteBecomesATripWithItsNameAndPointsInOrder() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let created = try await importing(client, auth, gpx("""
                <metadata><name>Document</name></metadata>
                <wpt lat="1" lon="1"><name>Ignored</name></wpt>
                <rte><name>Tom &amp; Jerry</name>
                  <rtept lat="46.2" lon="6.1"><name>Geneva</name></rtept>
                  <rtept lat=" 46.0 " lon="+7.7"/>
                  <rtept lat="45.5" lon="9.2"><name><![CDATA[Milan <3]]></name></rtept>
                </rte>
                <rte><name>Second</name><rtept lat="0" lon="0"/></rte>
                """))
            #expect(created.status == .created)
            #expect(created.object["name"] as? String == "Tom & Jerry")
            #expect(names(created) == ["Geneva", "Point 2", "Milan <3"])
            let points = (created.object["waypoints"] as? [[String: Any]] ?? []).map { [$0["latitude"] as? Double, $0["longitude"] as? Double] }
            #expect(points == [[46.2, 6.1], [46.0, 7.7], [45.5, 9.2]])
            let read = try await client.execute(uri: "/trips/\(try #require(created.object["id"] as? String))", method: .get, headers: auth)
            #expect(read.body == created.body)
        }
    }

    @Test
    func withoutARouteWaypointsThenTheFirstTrackAreRead() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let waypoints = try await importing(client, auth, gpx("""
                <metadata><name>Peaks</name></metadata>
                <wpt lat="45.8" lon="6.9"><name>Mont Blanc</name></wpt><wpt lat="45.9" lon="7.6"/>
                <trk><name>Ignored track</name><trkseg><trkpt lat="1" lon="1"/></trkseg></trk>
                """))
            #expect(waypoints.object["name"] as? String == "Peaks")
            #expect(names(waypoints) == ["Mont Blanc", "Point 2"])

            let track = try await importing(client, auth, gpx("""
                <trk><trkseg><trkpt lat="1" lon="1"/><trkpt lat="2" lon="2"/></trkseg><trkseg><trkpt lat="3" lon="3"/></trkseg></trk>
                <trk><name>Second</name><trkseg><trkpt lat="9" lon="9"/></trkseg></trk>
                """))
            #expect(track.object["name"] as? String == "Imported route")
            #expect(names(track) == ["Point 1", "Point 2", "Point 3"])
        }
    }

    @Test
    func aGPXExportImportsAsTheSameTrip() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let original = try await client.createTrip(auth, ExportTests.trip)
            let exported = try await client.execute(
                uri: "/trips/\(try #require(original["id"] as? String))?format=gpx", method: .get, headers: auth)
            let imported = try await importing(client, auth, String(buffer: exported.body))
            #expect(imported.status == .created)
            #expect(imported.object["name"] as? String == original["name"] as? String)
            #expect(NSArray(array: imported.object["waypoints"] as? [Any] ?? []) == NSArray(array: original["waypoints"] as? [Any] ?? []))
        }
    }

    @Test
    func refusesWhatIsNotAnAcceptableGPXRouteAndStoresNothing() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let tooMany = gpx("<rte>" + String(repeating: #"<rtept lat="1" lon="2"/>"#, count: 1001) + "</rte>")
            let refused = try await importing(client, auth, tooMany)
            expectProblem(refused, .unprocessableContent)
            #expect(String(buffer: refused.body).contains("1000"))
            expectProblem(try await importing(client, auth, gpx(#"<rte><rtept lat="91" lon="2"/></rte>"#)), .unprocessableContent)
            expectProblem(try await importing(client, auth, gpx(#"<rte><rtept lon="2"/></rte>"#)), .unprocessableContent)
            for latitude in ["0x10", "1e1", "nan", "inf", "+", ".", "1.2.3", "1 2", "--1"] {
                let refused = try await importing(client, auth, gpx(#"<rte><rtept lat="\#(latitude)" lon="2"/></rte>"#))
                expectProblem(refused, .unprocessableContent)
            }
            expectProblem(try await importing(client, auth, #"<kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>"#), .unprocessableContent)
            expectProblem(try await importing(client, auth, gpx("<rte><rtept lat=\"1\" lon=\"2\"></rte>")), .badRequest)
            expectProblem(try await importing(client, auth, "not xml at all"), .badRequest)
            let utf16 = try await client.execute(
                uri: "/trips", method: .post, headers: auth + [.contentType: "application/gpx+xml"],
                body: ByteBuffer(bytes: [0xFF, 0xFE] + Array(gpx("").utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })))
            expectProblem(utf16, .badRequest)
            expectProblem(try await importing(client, auth, gpx(""), [.contentEncoding: "gzip"]), .unsupportedMediaType)
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.isEmpty)
        }
    }

    @Test
    func refusesDTDsSoNoEntityIsExpandedAndNoFileIsRead() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let external = """
                <?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><rte><name>&secret;</name><rtept lat="1" lon="2"/></rte></gpx>
                """
            let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + (1...9).map { "<!ENTITY lol\($0) \"" + String(repeating: "&lol\($0 == 1 ? "" : String($0 - 1));", count: 10) + "\">" }.joined()
                + "]><gpx version=\"1.1\"><rte><name>&lol9;</name><rtept lat=\"1\" lon=\"2\"/></rte></gpx>"
            for document in [external, laughs] {
                let response = try await importing(client, auth, document)
                expectProblem(response, .badRequest)
                #expect(!String(buffer: response.body).contains("root:"))
            }
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.isEmpty)
        }
    }

    @Test
    func readsOnlyUTF8AndRefusesEveryDTDWhateverItsEncoding() async throws {
        let dtd = #"<!DOCTYPE gpx [<!ENTITY lol "lol">]>"#
        let route = #"<gpx version="1.1"><rte><name>&lol;</name><rtept lat="1" lon="2"/></rte></gpx>"#
        let utf16 = #"<?xml version="1.0" encoding="UTF-16"?>"# + dtd + route
        let refused: [(String, [UInt8], String)] = [
            ("EBCDIC with a DTD", Self.ebcdicWithDTD, "UTF-8"),
            ("UTF-16 without a byte order mark", utf16.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }, "UTF-8"),
            ("a DTD after a comment", Array((#"<?xml version="1.0"?><!-- a route -->"# + dtd + route).utf8), "DTD"),
            ("another encoding", Array((#"<?xml version="1.0" encoding="ISO-8859-1"?>"# + gpxElement("")).utf8), "UTF-8"),
            ("an encoding that only contains utf-8", Array((#"<?xml version="1.0" encoding="x-utf-8"?>"# + gpxElement("")).utf8), "UTF-8"),
            ("invalid UTF-8", Array(gpx("<rte><name>").utf8) + [0xC3, 0x28] + Array("</name></rte></gpx>".utf8), "UTF-8"),
        ]
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            for (what, bytes, named) in refused {
                let response = try await importing(client, auth, bytes: bytes)
                expectProblem(response, .badRequest)
                #expect(detail(response).contains(named), "\(what): \(detail(response))")
            }
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.isEmpty)
        }
    }

    @Test
    func theEncodingIsReadFromTheDeclarationNotFoundAsAWord() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let declared = try await importing(
                client, auth, "<?xml version='1.0' encoding='Utf-8' standalone='yes'?>" + gpxElement(#"<rte><rtept lat="1" lon="2"/></rte>"#))
            #expect(declared.status == .created)
            let undeclared = try await importing(
                client, auth, gpxElement(#"<rte><name>Re-encoding</name><rtept lat="1" lon="2"/></rte>"#) + "<?done?>")
            #expect(undeclared.status == .created)
            #expect(undeclared.object["name"] as? String == "Re-encoding")
        }
    }

    @Test
    func attributesPerElementAndDepthAreCapped() async throws {
        func attributes(_ count: Int) -> String {
            gpx("<rte " + (1...count).map { #"a\#($0)="""# }.joined(separator: " ") + #"><rtept lat="1" lon="2"/></rte>"#)
        }
        /// `gpx`, `rte` and `rtept` and then `extensions` to `depth` in all.
        func nested(_ depth: Int) -> String {
            let inner = depth - 3
            return gpx(#"<rte><rtept lat="1" lon="2">"# + String(repeating: "<e>", count: inner)
                + String(repeating: "</e>", count: inner) + "</rtept></rte>")
        }
        let (atAttributeCap, pastAttributeCap) = (attributes(Limits.xmlAttributesPerElement), attributes(Limits.xmlAttributesPerElement + 1))
        let (atDepthCap, pastDepthCap) = (nested(Limits.xmlDepth), nested(Limits.xmlDepth + 1))
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            #expect(try await importing(client, auth, atAttributeCap).status == .created)
            #expect(try await importing(client, auth, atDepthCap).status == .created)
            let flood = try await importing(client, auth, pastAttributeCap)
            expectProblem(flood, .badRequest)
            #expect(detail(flood).contains("\(Limits.xmlAttributesPerElement) attributes"))
            let deep = try await importing(client, auth, pastDepthCap)
            expectProblem(deep, .badRequest)
            #expect(detail(deep).contains("\(Limits.xmlDepth) deep"))
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.count == 2)
        }
    }

    @Test
    func numericReferencesToCharactersXMLForbidsAreRefused() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            for reference in ["&#0;", "&#1;", "&#x1F;", "&#xFFFE;", "&#xFFFF;", "&#xD800;", "&#x110000;", "&#99999999999999999999;"] {
                let response = try await importing(client, auth, gpx("<rte><name>a\(reference)</name><rtept lat=\"1\" lon=\"2\"/></rte>"))
                expectProblem(response, .badRequest)
            }
            let allowed = try await importing(client, auth, gpx(#"<rte><name>&#x41;&#66;&#x1F600;</name><rtept lat="1" lon="2"/></rte>"#))
            #expect(allowed.object["name"] as? String == "AB\u{1F600}")
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.count == 1)
        }
    }
}
