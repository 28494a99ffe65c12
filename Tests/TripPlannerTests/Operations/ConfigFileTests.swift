import Foundation
import Testing

/// `serve --config FILE` reads a bounded file and refuses YAML that could expand past its size, with one line naming
/// the file and status 2, while honest files holding `&` and `*` as text still load.
@Suite struct ConfigFileTests {
    /// Runs `serve --config` on a file holding `content`, and returns its status and standard error.
    static func serve(_ content: [UInt8], suffix: String) async throws -> (status: Int32, errors: String, path: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID()).\(suffix)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(content).write(to: URL(fileURLWithPath: path))
        let outcome = try await TripPlannerCommand.run(["serve", "--config", path, "--port", "0", "--database", "sqlite:/nonexistent-directory/trips.sqlite"])
        return (outcome.status, outcome.errors, path)
    }

    /// 680 bytes whose last mapping, walked, holds 9^8 values; before the check it kept `serve` busy past 15 s.
    static let laughs = (1...8).map { level in
        "l\(level): &l\(level) {" + "abcdefghi".map { "\($0): *l\(level - 1)" }.joined(separator: ", ") + "}"
    }

    @Test(.timeLimit(.minutes(1)), arguments: [
        (["l0: &l0 {a: lol}"] + laughs + ["bcryptCost: 12"], 1, "YAML anchors and aliases (& and *) are not accepted"),
        (["bcryptCost: *a"], 1, "YAML anchors and aliases (& and *) are not accepted"),
        (["# a comment", "trustedProxies:", "  - 10.0.0.0/8", "  - !!str &a 10.0.0.1"], 4, "YAML anchors and aliases (& and *) are not accepted"),
        (["trustedProxies: [\"10.0.0.1\",*a]"], 1, "YAML anchors and aliases (& and *) are not accepted"),
        (["--- &a", "bcryptCost: 12"], 1, "YAML anchors and aliases (& and *) are not accepted"),
        (["note: |", "  *text*", "bcryptCost: &c 12"], 3, "YAML anchors and aliases (& and *) are not accepted"),
        (["bcryptCost: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40)], 1, "[ and { are nested more than 32 deep"),
    ])
    func aYAMLFileWithAnchorsAliasesOrDeepNestingStopsTheStartInOneLine(lines: [String], line: Int, reason: String) async throws {
        let served = try await Self.serve(Array(lines.joined(separator: "\n").utf8), suffix: "yaml")
        #expect(served.status == 2)
        #expect(served.errors == "trip-planner: in \(served.path): line \(line): \(reason)\n")
    }

    @Test(.timeLimit(.minutes(1)))
    func aFileLargerThanTheBoundOrNotUTF8StopsTheStartInOneLine() async throws {
        let large = Array(String(repeating: "# padding\n", count: 6554).utf8)
        #expect(large.count > 64 * 1024)
        for suffix in ["yaml", "json"] {
            let served = try await Self.serve(large, suffix: suffix)
            #expect(served.status == 2)
            #expect(served.errors == "trip-planner: in \(served.path): the file is larger than 64 KiB; a config file holds a few settings\n")
        }
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("bcryptCost: 12\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let served = try await Self.serve(utf16, suffix: "yaml")
        #expect(served.status == 2)
        #expect(served.errors == "trip-planner: in \(served.path): the file is not UTF-8 text\n")
    }

    /// Each file is honest and ends in a value `serve` refuses, so the start stops at once with that value quoted,
    /// which shows the file was read whole and the value came through intact.
    @Test(.timeLimit(.minutes(1)), arguments: [
        ("yaml", "# & and * in a comment: &x *y\nbcryptCost: \"a*b\" # *z\n", "a*b"),
        ("yaml", "bcryptCost: 'it''s &x *y'\n", "it's &x *y"),
        ("yaml", "bcryptCost: pa*ss&word\n", "pa*ss&word"),
        ("yaml", "note: |\n  *not an alias* &nor an anchor\n  - *still text\nbcryptCost: \"a&b\"\n", "a&b"),
        ("yaml", "bcryptCost: \"say \\\"*hi\\\" &x\"\n", "say \"*hi\" &x"),
        ("yaml", "logLevel: info\nbcryptCost: x* # &y\n", "x*"),
        ("json", #"{"bcryptCost": "&a *b", "note": ["*c", "&e"]}"#, "&a *b"),
    ])
    func anHonestFileWithAmpersandsAndAsterisksAsTextLoads(suffix: String, content: String, value: String) async throws {
        let served = try await Self.serve(Array(content.utf8), suffix: suffix)
        #expect(served.status == 2)
        #expect(served.errors.hasPrefix("trip-planner: in \(served.path): The value '\(value)' is invalid for '--bcrypt-cost <bcrypt-cost>'"), "\(served.errors)")
    }
}
