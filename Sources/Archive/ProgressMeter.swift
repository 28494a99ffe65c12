import Foundation

/// Progress on standard error: on a terminal, a bar redrawn as records pass, with their rate and, when the total is
/// known, the time left; elsewhere, one summary line at the end.
public final class ProgressMeter {
    private let verb: String
    private let total: Int?
    private let drawsBar: Bool
    private let output: (String) -> Void
    private let started = ContinuousClock.now
    private var drawn = ContinuousClock.now - .seconds(1)
    private(set) var done = 0

    public init(_ verb: String, total: Int?, drawsBar: Bool = isatty(STDERR_FILENO) == 1,
                output: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.verb = verb
        self.total = total
        self.drawsBar = drawsBar
        self.output = output
    }

    public func advance(by count: Int) {
        done += count
        guard drawsBar, ContinuousClock.now - drawn >= .milliseconds(100) else { return }
        drawn = .now
        output("\r\u{1B}[K" + line(final: false))
    }

    /// Ends the bar, or prints the summary line, with `detail` after it.
    public func finish(_ detail: String = "") {
        output((drawsBar ? "\r\u{1B}[K" : "") + line(final: true) + (detail.isEmpty ? "" : "; " + detail) + "\n")
    }

    /// Erases the bar, leaving no line behind.
    public func clear() {
        if drawsBar { output("\r\u{1B}[K") }
    }

    private func line(final: Bool) -> String {
        let seconds = max((ContinuousClock.now - started) / .seconds(1), 0.001)
        let rate = Double(done) / seconds
        var text = "\(verb) \(Self.grouped(done))"
        if let total, !final {
            let fraction = total > 0 ? min(Double(done) / Double(total), 1) : 1
            let filled = Int(fraction * 30)
            text = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled) + "] " + text
            text += " of \(Self.grouped(total))"
        }
        text += " records, \(Self.grouped(Int(rate)))/s"
        if final {
            text += String(format: " in %.1f s", seconds)
        } else if let total, rate > 0 {
            text += ", " + Self.clock(Double(max(total - done, 0)) / rate) + " left"
        }
        return text
    }

    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        return digits.enumerated().map { index, digit in
            index > 0 && (digits.count - index) % 3 == 0 ? ",\(digit)" : "\(digit)"
        }.joined()
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
