import ArgumentParser
import TripCore

struct ShowUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Shows one account, with its login-throttle windows now open.")

    @OptionGroup var options: AdminOptions

    @Argument(help: "The username, in any ASCII case.")
    var username: String

    func run() async throws {
        let (account, windows) = try await options.withStore { store in
            let account = try await AdminConsole.account(username, in: store)
            return (account, try await store.attemptWindows(.logins(of: account.user.username), at: WallClock.system.now))
        }
        let throttle = windows.sorted { $0.key < $1.key }
        if options.json {
            var object = account.jsonObject
            object["loginThrottle"] = throttle.map { ["key": $0.key, "failures": $0.value.count, "endsAt": AdminConsole.timestamp($0.value.ends)] }
            AdminConsole.print(AdminConsole.json(object))
            return
        }
        AdminConsole.print(AdminConsole.table([AccountSummary.tableHeader, account.tableRow]))
        AdminConsole.print(throttle.isEmpty ? "no login-throttle window is open" : "")
        if !throttle.isEmpty {
            AdminConsole.print(AdminConsole.table(
                [["THROTTLE WINDOW", "FAILURES", "ENDS"]]
                    + throttle.map { [$0.key, "\($0.value.count)", AdminConsole.timestamp($0.value.ends)] }))
        }
    }
}
