import Foundation
import Testing

/// The shared page in a real browser: headless Chromium from Debian, which `make test` installs, on a real server.
@Suite struct BrowserTests {
    static let chromium = "/usr/bin/chromium"

    /// Runs Chromium headless on `url` with `arguments`; returns what it prints to standard output.
    private func chromium(_ arguments: [String], _ url: String) async throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID())")
        defer { try? FileManager.default.removeItem(at: profile) }
        return try await RawHTTP.offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.chromium)
            process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)"] + arguments + [url]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readToEndOfPipe()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aSharedPageDrawsOneVertexPerWaypointAndShowsAHostileNameAsText() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.chromium), "install chromium; make test does")
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

        let dom = try await chromium(["--dump-dom"], url)
        let vertices = try #require(dom.firstMatch(of: /<polyline points="([^"]*)"/)?.1, "no route in \(dom.prefix(500))")
        #expect(vertices.split(separator: " ").count == 4)
        #expect(dom.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</h1>"))
        #expect(!dom.contains("<script") && !dom.contains("<img"), "the name stayed text")

        let artifacts = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let picture = artifacts.appendingPathComponent("shared-page.png")
        try? FileManager.default.removeItem(at: picture)
        _ = try await chromium(["--screenshot=\(picture.path)", "--window-size=1000,1000", "--hide-scrollbars"], url)
        let png = try Data(contentsOf: picture)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG screenshot at \(picture.path)")
    }
}
