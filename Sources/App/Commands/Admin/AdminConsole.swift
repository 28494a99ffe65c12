import Foundation
import TripCore

/// What the admin commands share: who runs them, how they print, and how they ask.
enum AdminConsole {
    /// The operating-system user running the command, and the host: who an audit event says acted.
    static var operatorName: String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return AuditText.recordable(String(cString: name)) }
        return AuditText.recordable(ProcessInfo.processInfo.environment["USER"] ?? "uid \(geteuid())")
    }

    static var host: String { AuditText.recordable(ProcessInfo.processInfo.hostName) }

    static func audit(_ command: String, account: String, reason: String? = nil, in store: some AccountAdminStore) async throws {
        let now = WallClock.system.now
        try await store.recordAudit(AuditEvent(
            id: ObjectID(date: now), at: now, command: command, account: account, operatorName: operatorName, host: host,
            reason: reason))
    }

    /// The account named, or a refusal (exit status 1).
    static func account(_ username: String, in store: some AccountAdminStore) async throws -> AccountSummary {
        try requireUsername(username)
        guard let summary = try await store.accountSummary(username: username, at: WallClock.system.now) else {
            throw CommandRefusal("no account named \(quoted(username))")
        }
        return summary
    }

    /// Refuses a name no account can have, as sign-up would.
    static func requireUsername(_ username: String) throws {
        guard UsernameRule.allows(username) else { throw CommandRefusal("\(quoted(username)) cannot be a username") }
    }

    /// Text the operator typed, quoted for a one-line message: what is not printable ASCII escaped, and cut to 64.
    static func quoted(_ text: String) -> String {
        let shown = text.unicodeScalars.prefix(64).map { scalar in
            (0x20...0x7E).contains(scalar.value) && scalar != "'" && scalar != "\\" ? String(scalar) : scalar.escaped(asASCII: true)
        }.joined()
        return "'" + shown + (text.unicodeScalars.count > 64 ? "…" : "") + "'"
    }

    /// A value of an option within `range`, or a refusal naming the option.
    static func require(_ value: Int, in range: ClosedRange<Int>, _ option: String) throws {
        guard range.contains(value) else { throw CommandRefusal("\(option) must be from \(range.lowerBound) to \(range.upperBound)") }
    }

    static func print(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Rows as columns padded to their widest cell, the first row a header.
    static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    /// One JSON object on one line, keys sorted.
    static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static var inputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// A line the user types; without echo when `secret`.
    static func prompt(_ question: String, secret: Bool = false) -> InputLine {
        FileHandle.standardError.write(Data(question.utf8))
        var saved = termios()
        let hiding = secret && tcgetattr(STDIN_FILENO, &saved) == 0
        if hiding {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if hiding {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        return readInputLine()
    }

    /// One line of standard input, or why there is none.
    enum InputLine: Equatable {
        case line(String)
        case end, tooLong, notUTF8
    }

    /// One line of standard input without its line ending, read a byte at a time so nothing past it is consumed.
    static func readInputLine(maxBytes: Int = 1024) -> InputLine {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(STDIN_FILENO, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1, byte != UInt8(ascii: "\n") else {
                if count != 1, bytes.isEmpty { return .end }
                if byte == UInt8(ascii: "\n"), bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                return String(validating: bytes, as: UTF8.self).map(InputLine.line) ?? .notUTF8
            }
            guard bytes.count < maxBytes else { return .tooLong }
            bytes.append(byte)
        }
    }
}
