import Foundation
import Synchronization

/// curl reading one response as it comes, without buffering, on a thread of its own: what a test holds to see a
/// stream's bytes arrive, headers first, one at a time.
final class CurlStream: Sendable {
    private let process: Process
    private let received = Mutex(Data())

    init(_ arguments: [String]) throws {
        let output = Pipe()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-N", "-i"] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Thread { [self] in
            while case let chunk = output.fileHandleForReading.nextChunk(), !chunk.isEmpty {
                received.withLock { $0.append(chunk) }
            }
        }.start()
    }

    /// What has arrived so far, the status line and headers included.
    var text: String { received.withLock { String(decoding: $0, as: UTF8.self) } }

    /// How many times `line` has arrived as a line of its own.
    func count(of line: String) -> Int {
        text.split(separator: "\n", omittingEmptySubsequences: false).count { $0 == line }
    }

    /// Whether the response is still being read: curl exits when the server or a proxy closes it.
    var isOpen: Bool { process.isRunning }

    /// Ends curl with SIGKILL: it starts with the signal mask of the test's thread that launched it, which blocks
    /// SIGTERM, so `terminate()` would leave it running.
    func close() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
