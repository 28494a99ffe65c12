import ArgumentParser
import TripCore

struct DisableUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Disables an account: every request authenticating as it gets 403, and its shared pages 404.",
        discussion: "Nothing of the account is deleted; enable restores it as it was, tokens and shares included.")

    @OptionGroup var options: AdminOptions

    @Argument(help: "The username, in any ASCII case.")
    var username: String

    @Option(help: "Why, for the audit trail and users show.")
    var reason: String

    func validate() throws {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty, reason.utf8.count <= 1000 else {
            throw ValidationError("--reason must say why, in at most 1000 bytes.")
        }
    }

    func run() async throws {
        try await options.withStore { store in
            let account = try await AdminConsole.account(username, in: store)
            try await store.setDisablement(Disablement(since: WallClock.system.now, reason: reason), of: account.user.id)
            try await AdminConsole.audit("users disable", account: account.user.username, reason: reason, in: store)
            AdminConsole.print("disabled \(account.user.username)")
        }
    }
}

struct EnableUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable", abstract: "Enables a disabled account, as it was before.")

    @OptionGroup var options: AdminOptions

    @Argument(help: "The username, in any ASCII case.")
    var username: String

    func run() async throws {
        try await options.withStore { store in
            let account = try await AdminConsole.account(username, in: store)
            try await store.setDisablement(nil, of: account.user.id)
            try await AdminConsole.audit("users enable", account: account.user.username, in: store)
            AdminConsole.print("enabled \(account.user.username)")
        }
    }
}
