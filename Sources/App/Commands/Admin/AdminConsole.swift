import Foundation
import TripCore

/// What the admin commands share: who runs them, how they print, and how they ask.
enum AdminConsole {
    /// The operating-system user running the command, and the host: who an audit event says acted.
    static var operatorName: String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid \(geteuid())"
    }

    static var host: String { ProcessInfo.processInfo.hostName }

    static func audit(_ command: String, account: String, reason: String? = nil, in store: some AccountAdminStore) async throws {
        let now = WallClock.system.now
        try await store.recordAudit(AuditEvent(
            id: ObjectID(date: now), at: now, command: command, account: account, operatorName: operatorName, host: host,
            reason: reason))
    }

    /// The account named, or a refusal (exit status 1).
    static func account(_ username: String, in store: some AccountAdminStore) async throws -> AccountSummary {
        guard let summary = try await store.accountSummary(username: username, at: WallClock.system.now) else {
            throw CommandRefusal("no account named '\(username)'")
        }
        return summary
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

    /// A line the user types; without echo when `secret`. Nil at the end of input.
    static func prompt(_ question: String, secret: Bool = false) -> String? {
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

    /// One line of standard input without its line ending, read a byte at a time so nothing past it is consumed;
    /// nil at the end of input, or past `maxBytes`.
    static func readInputLine(maxBytes: Int = 1024) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while bytes.count <= maxBytes {
            let count = read(STDIN_FILENO, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1 else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") {
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                return String(decoding: bytes, as: UTF8.self)
            }
            bytes.append(byte)
        }
        return nil
    }
}
