import Foundation
import Testing

/// The built `trip-planner` run once as a command, to completion, with its input and output in files rather than
/// pipes: no output can fill up and stall it, and a command that stops reading early cannot end the tests with SIGPIPE.
enum TripPlannerCommand {
    struct Outcome {
        let status: Int32
        let output: Data
        let errors: String
    }

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("trip-planner")
    }

    /// Runs the command, or another program; `input`, when given, is its standard input.
    static func run(
        program: String? = nil, _ arguments: [String], input: Data? = nil, environment: [String: String] = [:]
    ) async throws -> Outcome {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("command-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (output, errors) = (directory.appendingPathComponent("out"), directory.appendingPathComponent("err"))
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = program.map(URL.init(fileURLWithPath:)) ?? executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(childEnvironment.merging(environment) { $1 }) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        if let input {
            let file = directory.appendingPathComponent("in")
            try input.write(to: file)
            process.standardInput = try FileHandle(forReadingFrom: file)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        try await RawHTTP.offPool { process.waitUntilExit() }
        return Outcome(
            status: process.terminationStatus, output: try Data(contentsOf: output),
            errors: String(decoding: try Data(contentsOf: errors), as: UTF8.self))
    }

    /// Runs the command on a pseudo-terminal that `script` makes, and returns what the terminal was shown.
    static func runOnTerminal(_ arguments: [String]) async throws -> Outcome {
        let quoted = ([executable.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
        return try await run(["-q", "-e", "-c", quoted.joined(separator: " "), "/dev/null"], through: "/usr/bin/script")
    }

    private static func run(_ arguments: [String], through program: String) async throws -> Outcome {
        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let shown = try await RawHTTP.offPool { output.fileHandleForReading.readToEndOfPipe() }
        try await RawHTTP.offPool { process.waitUntilExit() }
        return Outcome(status: process.terminationStatus, output: shown, errors: String(decoding: shown, as: UTF8.self))
    }
}

/// What every `trip-planner` child of the tests runs with. libmongoc, loading, makes a shared-memory segment named by
/// its process id for its statistics and removes it at exit; a process killed with SIGKILL leaves its segment behind,
/// and a later process given the same id warns on standard error that it falls back to malloc. The crash tests kill
/// many processes, so without this the commands' one-line output would depend on which ids the kernel hands out.
let childEnvironment = ["MONGOC_DISABLE_SHM": "1"]
