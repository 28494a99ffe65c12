import Foundation
import Synchronization
import Testing

/// The built `trip-planner` executable running as a child process on a free port, for tests that
/// need a real process to signal or kill. One that is gone by the end of its test, unsignalled, fails the test: no
/// request may take the server down.
final class ServerProcess: @unchecked Sendable {
    private(set) var process = Process()
    private(set) var port = 0
    private var output = Pipe()
    private var signalled = false
    /// What the process has written so far, read as it comes unless the log is held.
    private let logged = CollectedOutput()

    /// Starts the server; with `descriptorLimit` it runs under `ulimit -n`, soft and hard. A server that exits
    /// before it answers, as when another socket of this machine took its port meanwhile, is started again on
    /// another port. Its output is read as it comes, unless `holdingLog`: then nothing reads it until `releaseLog()`.
    init(
        database: String, bcryptCost: Int = 4, arguments: [String] = [], environment: [String: String] = [:],
        descriptorLimit: Int? = nil, holdingLog: Bool = false
    ) async throws {
        if database.hasPrefix("mongodb://") { try await Backend.requireMongo() }
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let executable = directory.appendingPathComponent("trip-planner")
        for _ in 0..<3 {
            (process, output, port) = (Process(), Pipe(), try Self.freePort())
            let serverArguments = ["--database", database, "--port", String(port), "--bcrypt-cost", String(bcryptCost), "--log-level", "error"]
                + arguments
            if let descriptorLimit {
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\"", executable.path] + serverArguments
            } else {
                process.executableURL = executable
                process.arguments = serverArguments
            }
            process.environment = ProcessInfo.processInfo.environment.merging(childEnvironment.merging(environment) { $1 }) { $1 }
            process.standardOutput = output
            process.standardError = output
            try process.run()
            for _ in 0..<200 where process.isRunning {
                if (try? await request("GET", "/health").status) == 200 {
                    if !holdingLog { releaseLog() }
                    return
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            guard !process.isRunning else { break }
        }
        signalled = true
        process.terminate()
        Issue.record("trip-planner did not answer /health on port \(port)")
        throw CancellationError()
    }

    /// A fresh database for processes of `backend` to share, as `--database` takes it.
    static func database(for backend: Backend) throws -> String {
        backend == .mongo
            ? "\(try Backend.mongoServer())/processes_\(UUID().uuidString.prefix(8))"
            : "sqlite:" + FileManager.default.temporaryDirectory.appendingPathComponent("processes-\(UUID()).sqlite").path
    }

    static func removeFiles(of database: String) {
        guard database.hasPrefix("sqlite:") else { return }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.dropFirst(7) + suffix) }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        } else if !signalled {
            Issue.record("trip-planner on port \(port) died during the test: \(Self.describe(process))")
        }
    }

    func signal(_ signal: Int32) {
        signalled = true
        kill(process.processIdentifier, signal)
    }

    private static func describe(_ process: Process) -> String {
        process.terminationReason == .uncaughtSignal
            ? "killed by signal \(process.terminationStatus)" : "exit status \(process.terminationStatus)"
    }

    /// Starts reading what the process writes.
    func releaseLog() {
        logged.start(reading: output.fileHandleForReading)
    }

    /// Everything the process has logged, once it has exited.
    func log() async throws -> String {
        _ = await exitStatus()
        releaseLog()
        while !logged.isComplete { try await Task.sleep(for: .milliseconds(20)) }
        return String(decoding: logged.data, as: UTF8.self)
    }

    /// Seconds of CPU the process has used, user and system, from `/proc`.
    var cpuSeconds: Double {
        get throws {
            let stat = try String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)
            let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
            return (Double(fields[11])! + Double(fields[12])!) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }
    }

    /// Waits for the process to exit and returns its status.
    func exitStatus() async -> Int32 {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        return process.terminationStatus
    }

    func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil
    ) async throws -> (status: Int, headers: [String: String], body: Data) {
        let response = try await RawHTTP.request(method, port: port, path, headers: headers, body: body)
        return (response.status, response.headers, Data(response.body.utf8))
    }

    /// Whether something accepts TCP connections on the port.
    static func connects(port: Int) throws -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                connect(socket, raw, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A port no listener holds, and that this test process has handed out before to no one: two tests asking at once
    /// could otherwise be given the one port the system just freed, and one test's server would answer the other's
    /// requests while its own, unable to listen, exits (seen in a fresh-clone run).
    static func freePort() throws -> Int {
        var probes: [Int32] = []
        defer { for probe in probes { close(probe) } }
        for _ in 0..<64 {
            // Each probe stays bound until the end, so that the next is given another port.
            let (probe, port) = try boundProbe()
            probes.append(probe)
            if handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
        throw CocoaError(.fileReadUnknown)
    }

    private static let handedOut = Mutex<Set<Int>>([])

    /// A socket bound to a port the system chose on 127.0.0.1, and the port.
    private static func boundProbe() throws -> (Int32, Int) {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(socket, raw, length) == 0 && getsockname(socket, raw, &length) == 0
            }
        }
        guard bound else {
            close(socket)
            throw CocoaError(.fileReadUnknown)
        }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }
}

extension Data {
    var jsonObject: [String: Any] { (try? JSONSerialization.jsonObject(with: self)) as? [String: Any] ?? [:] }
}

/// A child's output, read on a thread of its own until its end.
private final class CollectedOutput: Sendable {
    private let state = Mutex<(data: Data, started: Bool, complete: Bool)>((Data(), false, false))

    var data: Data { state.withLock { $0.data } }
    var isComplete: Bool { state.withLock { $0.complete } }

    func start(reading handle: FileHandle) {
        guard state.withLock({ state in
            defer { state.started = true }
            return !state.started
        }) else { return }
        Thread { [self] in
            while true {
                let chunk = handle.nextChunk()
                state.withLock { state in
                    state.data.append(chunk)
                    if chunk.isEmpty { state.complete = true }
                }
                if chunk.isEmpty { return }
            }
        }.start()
    }
}
