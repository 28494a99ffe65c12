import Dispatch
import Foundation
import Metrics
import Synchronization

/// Where log lines go. Whoever logs appends whole lines to a buffer in memory; one thread of its own writes the
/// buffer to the descriptor every `interval`, or sooner once it holds `eagerBytes`. So a line is never torn or
/// interleaved with another, and logging never waits on the destination: while the destination accepts nothing,
/// lines that would take the buffer past `capacity` are dropped, counted in `log_lines_dropped_total`, and their
/// number is written once it accepts lines again. SIGKILL loses at most the lines of the last `interval`, and those
/// the destination is not accepting.
final class LogOutput: Sendable {
    static let interval = DispatchTimeInterval.milliseconds(100)
    static let eagerBytes = 64 << 10
    static let capacity = 1 << 20

    private struct State {
        var pending: [UInt8] = []
        var dropped = 0
        /// Bytes appended and written since the start, so that `flush` knows when what it saw is out.
        var appended = 0
        var written = 0
        var woken = false
    }

    private let descriptor: Int32
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    init(descriptor: Int32) {
        self.descriptor = descriptor
        let writer = Thread { [self] in
            while true { writeBatch() }
        }
        writer.name = "log output"
        writer.start()
    }

    func append(_ line: [UInt8]) {
        enum Outcome { case kept, keptAndFull, dropped }
        let outcome = state.withLock { state -> Outcome in
            guard state.pending.count + line.count <= Self.capacity else {
                state.dropped += 1
                return .dropped
            }
            state.pending.append(contentsOf: line)
            state.appended += line.count
            guard state.pending.count >= Self.eagerBytes, !state.woken else { return .kept }
            state.woken = true
            return .keptAndFull
        }
        switch outcome {
        case .kept: break
        case .keptAndFull: wake.signal()
        case .dropped: Counter(label: "log_lines_dropped_total").increment()
        }
    }

    /// Waits until every line appended before the call is written, or `timeout` passes while the destination accepts
    /// nothing.
    func flush(timeout: Duration = .seconds(5)) {
        let target = state.withLock { $0.appended }
        wake.signal()
        let deadline = ContinuousClock.now + timeout
        while state.withLock({ $0.written < target }), ContinuousClock.now < deadline {
            usleep(2_000)
        }
    }

    private func writeBatch() {
        _ = wake.wait(timeout: .now() + Self.interval)
        let (batch, dropped, through) = state.withLock { state in
            defer { (state.pending, state.dropped, state.woken) = ([], 0, false) }
            return (state.pending, state.dropped, state.appended)
        }
        write(batch)
        if dropped > 0 {
            write(Array("\(dropped) log lines were dropped: their destination accepted nothing for a while\n".utf8))
        }
        state.withLock { $0.written = through }
    }

    /// Writes all of `bytes`, waiting as long as the destination does; gives up only on an error other than EINTR.
    private func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    guard errno == EINTR else { return }
                    continue
                }
                offset += count
            }
        }
    }
}
