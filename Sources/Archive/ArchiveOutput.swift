#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix

/// Buffered writes to a file descriptor, each full buffer written on a thread pool, since writes block.
final class ArchiveOutput {
    private let descriptor: Int32
    private let threads: NIOThreadPool
    private var buffer: [UInt8] = []
    static let flushSize = 1 << 20

    init(descriptor: Int32, threads: NIOThreadPool = .singleton) {
        self.descriptor = descriptor
        self.threads = threads
        buffer.reserveCapacity(Self.flushSize + (64 << 10))
    }

    func append(_ bytes: [UInt8]) async throws {
        buffer += bytes
        if buffer.count >= Self.flushSize { try await flush() }
    }

    /// Writes what is buffered; with `sync`, waits until a regular file has it on disk.
    func flush(sync: Bool = false) async throws {
        let bytes = buffer
        buffer.removeAll(keepingCapacity: true)
        try await threads.runIfActive { [descriptor] in
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
                if count < 0 {
                    guard errno == EINTR else { throw ArchiveError("cannot write the output: \(String(cString: strerror(errno)))") }
                    continue
                }
                written += count
            }
            var status = stat()
            if sync, fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, fsync(descriptor) != 0 {
                throw ArchiveError("cannot write the output to disk: \(String(cString: strerror(errno)))")
            }
        }
    }
}
