@testable import API
import Foundation
import Testing
import TripCore

/// The shared page in a real browser: headless Chromium from Debian, which `make test` installs, on a real server.
@Suite struct BrowserTests {
    @Test(.timeLimit(.minutes(2)))
    func aSharedPageDrawsOneVertexPerWaypointAndShowsAHostileNameAsText() async throws {
        let database = try ServerProcess.database(for: .sqliteFile)
        defer { ServerProcess.removeFiles(of: database) }
        let server = try await ServerProcess(database: database)
        #expect(try await RawHTTP.request("POST", port: server.port, "/users", body: #"{"username":"alice","password":"password1"}"#).status == 201)
        let auth = ["Authorization": basic("alice", "password1")[.authorization]!]
        let trip = #"{"name":"<script>alert(1)</script><img src=x onerror=alert(2)>","waypoints":["#
            + #"{"name":"Geneva","latitude":46.2,"longitude":6.14},{"name":"Zermatt","latitude":46.02,"longitude":7.75},"#
            + #"{"name":"Aosta","latitude":45.74,"longitude":7.32},{"name":"Turin","latitude":45.07,"longitude":7.69}]}"#
        let tripID = try #require(Data(try await RawHTTP.request("POST", port: server.port, "/trips", headers: auth, body: trip).body.utf8)
            .jsonObject["id"] as? String)
        let share = Data(try await RawHTTP.request("POST", port: server.port, "/trips/\(tripID)/shares", headers: auth).body.utf8).jsonObject
        let url = "http://127.0.0.1:\(server.port)\(try #require(share["url"] as? String))"

        let dom = try await Chromium.run(["--dump-dom"], url)
        let vertices = try #require(dom.firstMatch(of: /<polyline points="([^"]*)"/)?.1, "no route in \(dom.prefix(500))")
        #expect(vertices.split(separator: " ").count == 4)
        #expect(dom.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</h1>"))
        #expect(!dom.contains("<script") && !dom.contains("<img"), "the name stayed text")

        let artifacts = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let picture = artifacts.appendingPathComponent("shared-page.png")
        try? FileManager.default.removeItem(at: picture)
        _ = try await Chromium.run(["--screenshot=\(picture.path)", "--window-size=1000,1000", "--hide-scrollbars"], url)
        let png = try Data(contentsOf: picture)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG screenshot at \(picture.path)")
        let shown = try await PythonCheck.run(Self.countsColours, input: picture.path + "\n" + Self.markerColours.joined(separator: " "))
        #expect(shown.split(separator: " ").map { Int($0) ?? 0 }.allSatisfy { $0 > 100 }, "start, stop and end are drawn: \(shown)")
    }

    /// The page's route numbers its waypoints as the table does, and tells the start and the end apart.
    @Test func theRouteNumbersItsWaypointsAsTheTableAndMarksTheStartAndTheEnd() throws {
        let waypoints = ["Geneva", "Zermatt", "Aosta", "Turin"].enumerated().map { index, name in
            Waypoint(name: name, latitude: 46 - Double(index) / 4, longitude: 6 + Double(index) / 2)
        }
        let svg = RouteDrawing(waypoints, bbox: Waypoints(waypoints).figures.bbox).svg
        let markers = svg.matches(of: /<circle[^>]* fill="(#[0-9a-f]{6})"[^>]*\/><text[^>]*>(\d+)<\/text><title>([^<]*)<\/title>/)
        #expect(markers.map { String($0.2) } == ["4", "3", "2", "1"], "numbered as the table's rows, the start drawn last")
        #expect(markers.map { String($0.1) } == Array(Self.markerColours.reversed()))
        #expect(markers.map { String($0.3) } == ["4. Turin (end)", "3. Aosta", "2. Zermatt", "1. Geneva (start)"])
        #expect(svg.contains(">start</text>") && svg.contains(">end</text>"), "a legend")
        let one = RouteDrawing([waypoints[0]], bbox: Waypoints([waypoints[0]]).figures.bbox).svg
        #expect(one.contains("<title>1. Geneva (start and end)</title>"))
    }

    /// The start's, a stop's and the end's colours, in route order for a route of four.
    static let markerColours = ["#2e7d32", "#1565c0", "#1565c0", "#c62828"]

    /// Reads a PNG (8-bit RGB or RGBA, not interlaced) and prints how many pixels have each colour given.
    static let countsColours = """
        import sys, zlib, struct
        path, colours = sys.stdin.read().split("\\n", 1)
        data = open(path, "rb").read()
        pos, chunks, width, height, kind = 8, b"", 0, 0, 0
        while pos < len(data):
            length, tag = struct.unpack(">I4s", data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            if tag == b"IHDR":
                width, height, depth, kind = struct.unpack(">IIBB", body[:10])
            elif tag == b"IDAT":
                chunks += body
            pos += 12 + length
        size = 4 if kind == 6 else 3
        raw, stride = zlib.decompress(chunks), width * size
        previous, counts = bytearray(stride), {}
        for row in range(height):
            kind_of_filter = raw[row * (stride + 1)]
            line = bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
            for i in range(stride):
                left = line[i - size] if i >= size else 0
                up, corner = previous[i], previous[i - size] if i >= size else 0
                if kind_of_filter == 1: line[i] = (line[i] + left) & 255
                elif kind_of_filter == 2: line[i] = (line[i] + up) & 255
                elif kind_of_filter == 3: line[i] = (line[i] + (left + up) // 2) & 255
                elif kind_of_filter == 4:
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
            for i in range(0, stride, size):
                key = bytes(line[i:i + 3]).hex()
                counts[key] = counts.get(key, 0) + 1
            previous = line
        print(" ".join(str(counts.get(colour.strip("#"), 0)) for colour in colours.split()))
        """
}
