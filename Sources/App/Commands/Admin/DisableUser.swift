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

    @Option(help: "Why, for the audit trail and users show: 1 to 1000 bytes of text on one line.")
    var reason: String

    func run() async throws {
        try await options.withStore { store in
            if let refusal = AuditText.refusal(of: reason) { throw CommandRefusal("--reason \(refusal)") }
            guard !reason.allSatisfy(\.isWhitespace) else { throw CommandRefusal("--reason must say why") }
            let account = try await AdminConsole.account(username, in: store)
            if let disablement = account.disablement {
                throw CommandRefusal(
                    "\(account.user.username) is already disabled, since \(AdminConsole.timestamp(disablement.since)); enable it first")
            }
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
            guard account.disablement != nil else { throw CommandRefusal("\(account.user.username) is not disabled") }
            try await store.setDisablement(nil, of: account.user.id)
            try await AdminConsole.audit("users enable", account: account.user.username, in: store)
            AdminConsole.print("enabled \(account.user.username)")
        }
    }
}
