import ArgumentParser
import Foundation
import TripCore

struct Throttle: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lifts login locks.", subcommands: [ClearThrottle.self])
}

struct ClearThrottle: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear",
        abstract: "Lifts the login lock of a username: its failures from every client, or from one.",
        discussion: "With --client, only that address's window goes; the lock on the name from all clients together stays.")

    @OptionGroup var options: AdminOptions

    @Argument(help: "The username, in any ASCII case; it need not have an account, as guessed names do not.")
    var username: String

    @Option(help: "The client address whose failures to clear, as the access log shows it.")
    var client: String?

    func run() async throws {
        try await options.withStore { store in
            try AdminConsole.requireUsername(username)
            if let client, !Self.isAddress(client) {
                throw CommandRefusal("--client \(AdminConsole.quoted(client)) is not an IPv4 or IPv6 address")
            }
            let cleared = try await store.clearAttempts(.logins(of: username, from: client))
            try await AdminConsole.audit("throttle clear", account: username, reason: client.map { "client \($0)" }, in: store)
            AdminConsole.print("cleared \(cleared) login-throttle window\(cleared == 1 ? "" : "s") of \(username)")
        }
    }

    /// An address as the server writes a client's: IPv4 dotted or IPv6 text.
    private static func isAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
