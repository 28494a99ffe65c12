import Foundation
import Testing

/// Runs a Python script of the project's virtual environment, which `make test` makes, on `input`, and returns
/// what it prints: for checking the server's output with parsers written by others.
enum PythonCheck {
    static func run(_ script: String, input: String) throws -> String {
        let python = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python.path), "run scripts/venv.sh first; make test does")
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        try #require(process.terminationStatus == 0, "python failed: \(text)")
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
