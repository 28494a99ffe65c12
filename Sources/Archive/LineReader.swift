#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix

/// Reads a file descriptor line by line, a chunk at a time on a thread pool, since reads block.
final class LineReader {
    private let descriptor: Int32
    private let threads: NIOThreadPool
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next newline resumes, so a long line is scanned once, not once per chunk.
    private var scanned = 0
    private var atEnd = false
    /// The line `next` read last, counting from 1.
    private(set) var number = 0

    static let chunkSize = 1 << 20
    /// A line longer than this is refused rather than buffered: it cannot be a record the server wrote.
    static let maxLineLength = 4 << 20

    init(descriptor: Int32, threads: NIOThreadPool = .singleton) {
        self.descriptor = descriptor
        self.threads = threads
    }

    /// Calls `body` with the next line, without its newline, or returns nil at the end of the input.
    func next<T>(_ body: (UnsafeRawBufferPointer, Int) throws(ArchiveError) -> T) async throws -> T? {
        while true {
            if let newline = buffer[max(start, scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                defer { (start, scanned) = (newline + 1, newline + 1) }
                number += 1
                return try buffer.withUnsafeBytes { bytes throws(ArchiveError) in
                    try body(UnsafeRawBufferPointer(rebasing: bytes[start..<newline]), number)
                }
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                buffer.append(UInt8(ascii: "\n"))
                continue
            }
            guard buffer.count - start <= Self.maxLineLength else {
                throw ArchiveError(line: number + 1, "longer than \(Self.maxLineLength >> 20) MiB")
            }
            buffer.removeSubrange(..<start)
            (start, scanned) = (0, buffer.count)
            let chunk = try await Self.readChunk(descriptor, on: threads)
            if chunk.isEmpty { atEnd = true }
            buffer += chunk
        }
    }

    static func readChunk(_ descriptor: Int32, on threads: NIOThreadPool) async throws -> [UInt8] {
        try await threads.runIfActive {
            var chunk = [UInt8](repeating: 0, count: chunkSize)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunkSize) }
                if count >= 0 {
                    chunk.removeSubrange(count...)
                    return chunk
                }
                guard errno == EINTR else { throw ArchiveError("cannot read the input: \(String(cString: strerror(errno)))") }
            }
        }
    }
}
