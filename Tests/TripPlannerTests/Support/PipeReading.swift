import Foundation

extension FileHandle {
    /// The next bytes written to this pipe, empty at its end. Foundation's `availableData` traps when a signal
    /// interrupts its read, and the suite's children send the test process signals (SIGCHLD) all the time.
    func nextChunk() -> Data {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(fileDescriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return Data(buffer[..<count]) }
            if errno != EINTR { return Data() }
        }
    }

    /// Everything written to this pipe until its end, read without trapping on an interrupted read.
    func readToEndOfPipe() -> Data {
        var data = Data()
        while case let chunk = nextChunk(), !chunk.isEmpty { data.append(chunk) }
        return data
    }
}
