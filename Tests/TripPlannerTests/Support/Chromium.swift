import Foundation
import Testing

/// Headless Chromium from Debian, which `make test` installs, each run in a profile of its own that is removed after.
final class Chromium {
    static let path = "/usr/bin/chromium"

    private let process: Process
    private let profile: URL

    /// Opens `url` and keeps it open, its page's scripts running, until `close()`.
    init(opening url: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.path), "install chromium; make test does")
        (process, profile) = Self.process([], url)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        close()
    }

    func close() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: profile)
    }

    /// Runs Chromium on `url` with `arguments` until it exits; returns what it prints to standard output.
    static func run(_ arguments: [String], _ url: String) async throws -> String {
        try #require(FileManager.default.isExecutableFile(atPath: path), "install chromium; make test does")
        return try await RawHTTP.offPool {
            let (process, profile) = Self.process(arguments, url)
            defer { try? FileManager.default.removeItem(at: profile) }
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readToEndOfPipe()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
    }

    private static func process(_ arguments: [String], _ url: String) -> (Process, profile: URL) {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID())")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)"] + arguments + [url]
        process.standardError = FileHandle.nullDevice
        return (process, profile)
    }
}
