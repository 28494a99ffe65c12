import ArgumentParser
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
            let cleared = try await store.clearAttempts(.logins(of: username, from: client))
            try await AdminConsole.audit("throttle clear", account: username, reason: client.map { "client \($0)" }, in: store)
            AdminConsole.print("cleared \(cleared) login-throttle window\(cleared == 1 ? "" : "s") of \(username)")
        }
    }
}
