import Foundation
import Testing

/// Runs a Python script of the project's virtual environment, which `make test` makes, on `input`, and returns
/// what it prints: for checking the server's output with parsers written by others. Python runs while a Dispatch
/// thread waits for it, never a thread of the cooperative pool.
enum PythonCheck {
    static func run(_ script: String, input: String) async throws -> String {
        let python = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python.path), "run scripts/venv.sh first; make test does")
        let (status, text) = try await RawHTTP.offPool { try Self.exchange(python, script, input) }
        try #require(status == 0, "python failed: \(text)")
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func exchange(_ python: URL, _ script: String, _ input: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script]
        let inputFile = try Self.file(holding: input)
        defer { try? FileManager.default.removeItem(at: inputFile) }
        let stdout = Pipe()
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        let output = stdout.fileHandleForReading.readToEndOfPipe()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Input given as a file, not a pipe: a child that stops reading early then never blocks the test's write.
    private static func file(holding input: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("python-input-\(UUID())")
        try Data(input.utf8).write(to: url)
        return url
    }
}
